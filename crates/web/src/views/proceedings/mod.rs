//! The proceedings compartment's pages, for the investigating unit and the competent
//! prosecutor's office: the investigations (`/investigations`, [`list`]), opening one
//! (`/investigations/new`), and one investigation with its suspects, charges, decisions,
//! judgments, appeals and non-punishment notices, with a form for each write
//! (`/investigations/{id}`, [`investigation`]). Every page calls the use cases of
//! `haven_app::proceedings`, where access is decided and audited; the forms offer exactly the
//! actions the access module returns with the investigation.
//!
//! The forms are described in Rust ([`FormView`], [`Field`]) and drawn by one template
//! (`_proceedings_form.html`), so that a refused write shows the form again with what was typed
//! and the problem next to its input, whichever of the page's forms it was.

pub mod import;
pub mod investigation;
pub mod joint_teams;
pub mod list;
pub mod matches;
pub mod money;
pub mod victims;

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::Choice;
use crate::views::form::FormProblem;
use crate::views::page_error::{PageError, PageResult};
use crate::views::see_other;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use haven_app::admin::Acting;
use haven_app::{AppError, Principal};
use haven_domain::Coded;
use haven_domain::org::Organisation;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(list::router())
        .merge(matches::router())
        .merge(investigation::router())
        .merge(money::router())
        .merge(joint_teams::router())
        .merge(victims::router())
        .merge(import::router())
}

/// An input of a form, with what was typed and the problem at it.
#[derive(Debug, Clone)]
pub struct Field {
    /// The element id: the form's key and the input's name.
    pub id: String,
    pub name: String,
    pub label: String,
    /// text, date, number, select, multi (checkboxes), check (one checkbox), textarea
    pub kind: &'static str,
    pub value: String,
    pub choices: Vec<Choice>,
    pub hint: String,
    pub error: Option<String>,
}

/// A form of a page: where it posts, its hidden values and its inputs.
#[derive(Debug, Clone)]
pub struct FormView {
    pub key: String,
    pub action: String,
    pub title: String,
    pub hidden: Vec<(String, String)>,
    pub fields: Vec<Field>,
    pub submit: String,
    /// Drawn as a notice (the decision on a non-punishment notice).
    pub prominent: bool,
}

/// What was typed into the form with the key `key` (the one posted), to show again.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub key: String,
    pub pairs: Vec<(String, String)>,
}

impl Typed {
    pub fn of(key: &str, pairs: &FormPairs) -> Self {
        Typed { key: key.to_owned(), pairs: pairs.0.iter().filter(|(k, _)| k != "csrf").cloned().collect() }
    }

    fn values(&self, key: &str, name: &str) -> Option<Vec<&str>> {
        (self.key == key).then(|| self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect())
    }
}

/// The last value sent under `name` (empty when none).
pub fn one(pairs: &FormPairs, name: &str) -> String {
    pairs.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// Every value sent under `name`, blank ones left out.
pub fn all(pairs: &FormPairs, name: &str) -> Vec<String> {
    pairs.all(name).into_iter().filter(|v| !v.trim().is_empty()).collect()
}

/// A checkbox: ticked when sent as `on`, `true`, `yes` or `1`.
pub fn ticked(pairs: &FormPairs, name: &str) -> bool {
    matches!(one(pairs, name).trim(), "on" | "true" | "yes" | "1")
}

/// Builds the inputs of one form: values from what was typed (when it was this form that was
/// posted) or the defaults, problems from the check.
pub struct Builder<'a> {
    pub tr: Tr<'a>,
    pub key: String,
    pub typed: &'a Typed,
    pub check: &'a FormProblem,
}

impl<'a> Builder<'a> {
    pub fn new(tr: Tr<'a>, key: impl Into<String>, typed: &'a Typed, check: &'a FormProblem) -> Self {
        Builder { tr, key: key.into(), typed, check }
    }

    fn field(&self, name: &str, kind: &'static str, default: &str) -> Field {
        let id = format!("{}-{name}", self.key);
        let value = match self.typed.values(&self.key, name) {
            Some(v) => v.last().copied().unwrap_or_default().to_owned(),
            None => default.to_owned(),
        };
        Field {
            error: self.check.message(&id).map(str::to_owned),
            id,
            name: name.to_owned(),
            label: label(&self.tr, name),
            kind,
            value,
            choices: Vec::new(),
            hint: String::new(),
        }
    }

    pub fn text(&self, name: &str, default: &str) -> Field {
        self.field(name, "text", default)
    }

    pub fn date(&self, name: &str, default: &str) -> Field {
        self.field(name, "date", default)
    }

    pub fn number(&self, name: &str) -> Field {
        self.field(name, "number", "")
    }

    pub fn textarea(&self, name: &str) -> Field {
        self.field(name, "textarea", "")
    }

    pub fn check(&self, name: &str) -> Field {
        let mut f = self.field(name, "check", "");
        if !matches!(f.value.trim(), "on" | "true" | "yes" | "1") {
            f.value.clear();
        }
        f
    }

    /// A select; `blank` offers "not given" first.
    pub fn select(&self, name: &str, options: Vec<(String, String)>, blank: bool, default: &str) -> Field {
        let mut f = self.field(name, "select", default);
        let mut choices = Vec::new();
        if blank {
            choices.push(Choice {
                value: String::new(),
                label: self.tr.t("proc-not-given"),
                selected: f.value.is_empty(),
            });
        }
        for (value, label) in options {
            choices.push(Choice { selected: f.value == value, value, label });
        }
        f.choices = choices;
        f
    }

    /// Checkboxes, one per option.
    pub fn multi(&self, name: &str, options: Vec<(String, String)>) -> Field {
        let mut f = self.field(name, "multi", "");
        let typed = self.typed.values(&self.key, name).unwrap_or_default();
        f.choices = options
            .into_iter()
            .map(|(value, label)| Choice { selected: typed.contains(&value.as_str()), value, label })
            .collect();
        f
    }

    pub fn form(&self, action: String, title_id: &str, fields: Vec<Field>) -> FormView {
        FormView {
            key: self.key.clone(),
            action,
            title: self.tr.t(title_id),
            hidden: Vec::new(),
            fields,
            submit: self.tr.t(title_id),
            prominent: false,
        }
    }
}

/// One of an investigation's pages with forms, at `/investigations/{id}` and [`FormPage::PATH`]:
/// drawn with nothing typed ([`show`]), or again with what was typed in a posted form and the
/// problem the use case found in it ([`save`]).
pub(super) trait FormPage {
    /// What follows the investigation's address: `""` or `"/money"`.
    const PATH: &'static str;

    fn draw(
        state: &AppState,
        p: &Principal,
        headers: &HeaderMap,
        id: &str,
        typed: &Typed,
        check: FormProblem,
    ) -> impl Future<Output = PageResult> + Send;

    /// The problem of a refused write of the form `key`, at the input it is about; `None` when
    /// the error is not about what was typed.
    fn problem(tr: &Tr<'_>, key: &str, error: AppError) -> Result<FormProblem, AppError> {
        money::problem_of(tr, key, error)
    }
}

/// The page with nothing typed.
pub(super) async fn show<P: FormPage>(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    P::draw(&state, &p, &headers, &id, &Typed::default(), FormProblem::none()).await
}

/// Runs a write of the page: back to the page when done; the page again with the problem at
/// the input of the form `key` when the use case refuses what was typed.
pub(super) async fn save<P: FormPage, T>(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    key: &str,
    pairs: &FormPairs,
    result: Result<T, AppError>,
) -> PageResult {
    match result {
        Ok(_) => Ok(see_other(&format!("/investigations/{id}{}", P::PATH))),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(p), headers));
            let check = P::problem(&tr, key, e).map_err(PageError::from)?;
            P::draw(state, p, headers, id, &Typed::of(key, pairs), check).await
        }
    }
}

/// The label of a coded value (`PREFIX-CODE`).
pub fn coded_label<C: Coded>(tr: &Tr<'_>, prefix: &str, c: C) -> String {
    tr.t(&format!("{prefix}-{}", c.code()))
}

/// Every value of a coded enum with its label (`PREFIX-CODE`).
pub fn options<C: Coded>(tr: &Tr<'_>, prefix: &str) -> Vec<(String, String)> {
    C::ALL.iter().map(|c| (c.code().to_owned(), tr.t(&format!("{prefix}-{}", c.code())))).collect()
}

/// The label of an input in the reader's language (`proc-field-NAME`, the name without the
/// form's key, a row's number or an index).
pub fn label(tr: &Tr<'_>, name: &str) -> String {
    let base = name.rsplit('.').next().unwrap_or(name);
    let base = base.split('[').next().unwrap_or(base);
    let base = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
    let id = format!("proc-field-{base}");
    let text = tr.t(&id);
    if text == id { crate::views::field_label(tr, name) } else { text }
}

/// Organisations by id (empty for a user who may not list them).
pub async fn organisations(state: &AppState, p: &Principal) -> Result<Vec<Organisation>, AppError> {
    match state.app.organisations(Acting::User(p)).await {
        Ok(o) => Ok(o),
        Err(AppError::Forbidden) => Ok(vec![]),
        Err(e) => Err(e),
    }
}

pub fn names(orgs: &[Organisation]) -> HashMap<String, String> {
    orgs.iter().map(|o| (o.id.clone(), o.name.clone())).collect()
}

/// The cases the user's organisation owns or was given (by id, with their reference), for
/// linking victims and suspects; empty for a user who may not list cases.
pub async fn cases(state: &AppState, p: &Principal) -> Result<Vec<(String, String)>, AppError> {
    match state.app.list_cases(p, 500, 0).await {
        Ok(list) => Ok(list.into_iter().map(|c| (c.id, c.reference)).collect()),
        Err(AppError::Forbidden) => Ok(vec![]),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use haven_domain::Language;

    #[test]
    fn a_field_shows_what_was_typed_into_its_own_form_only_and_its_problem() {
        let i18n = I18n::load().unwrap();
        let tr = i18n.tr(Language::Latvian);
        let typed = Typed {
            key: "charge-s1".into(),
            pairs: vec![("national_provision".into(), "154.1".into()), ("circumstances".into(), "child_victim".into())],
        };
        let check = FormProblem::at(&tr, "charge-s1-national_provision", "slikti", |_, _, _| String::new());
        let own = Builder::new(tr, "charge-s1", &typed, &check);
        let f = own.text("national_provision", "");
        assert_eq!(
            (f.id.as_str(), f.value.as_str(), f.error.as_deref()),
            ("charge-s1-national_provision", "154.1", Some("slikti"))
        );
        let m =
            own.multi("circumstances", vec![("child_victim".into(), "x".into()), ("serious_harm".into(), "y".into())]);
        assert_eq!(m.choices.iter().filter(|c| c.selected).count(), 1);
        let other = Builder::new(tr, "charge-s2", &typed, &check);
        let f = other.text("national_provision", "default");
        assert_eq!((f.value.as_str(), f.error), ("default", None));
        assert_eq!(label(&tr, "offences[0].forms"), tr.t("proc-field-forms"));
        assert_eq!(label(&tr, "offence_kind_1"), tr.t("proc-field-offence_kind"));
    }
}
