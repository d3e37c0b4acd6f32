//! Forms of the pages: a typed form body ([`PageForm`]) over the input types the use cases
//! already deserialise, and one type for a problem with what was typed ([`FormProblem`]),
//! shown by one template (`_form_problem.html`): a summary at the top linking to the input at
//! fault, and the message next to that input, in the reader's language. A handler shows the
//! form again with what was typed by [`OrFormProblem::or_form`], and `?` does the rest.

use super::page_error::PageError;
use crate::AppState;
use crate::error::WebError;
use crate::extract::FormPairs;
use crate::i18n::Tr;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::Response;
use haven_app::AppError;
use haven_domain::ParseError;
use serde::de::DeserializeOwned;

/// A form body as the input type of a use case, with the fields as they were sent (to show
/// again). The CSRF field is left out; a checkbox is sent as `true`.
pub struct PageForm<T> {
    pub input: T,
    pub pairs: FormPairs,
}

impl<T: DeserializeOwned> FromRequest<AppState> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let FormPairs(pairs) = FormPairs::from_request(req, state).await?;
        let pairs: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "csrf").collect();
        let input = typed(&pairs)?;
        Ok(PageForm { input, pairs: FormPairs(pairs) })
    }
}

/// The pairs as `T`; an error names the field (the first whose value does not fit).
fn typed<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, PageError> {
    let encoded = serde_urlencoded::to_string(pairs).map_err(|e| bad_form(None, e.to_string()))?;
    serde_urlencoded::from_str::<T>(&encoded).map_err(|e| {
        // Find the field at fault: the first one whose removal makes the rest acceptable.
        let field = pairs.iter().map(|(k, _)| k).find(|name| {
            let rest: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != *name).collect();
            serde_urlencoded::to_string(&rest).is_ok_and(|s| serde_urlencoded::from_str::<T>(&s).is_ok())
        });
        match field {
            Some(field) => PageError::from(AppError::invalid(field, &e.to_string())),
            None => bad_form(None, e.to_string()),
        }
    })
}

fn bad_form(field: Option<String>, message: String) -> PageError {
    PageError::Error(WebError::BadRequest { field, message: format!("form: {message}") })
}

/// A problem with what was typed into a form: the field as the use case named it
/// (`languages[2]`), the input it belongs to (`languages`), the field's label and the message.
#[derive(Debug, Clone, Default)]
pub struct FormProblem {
    status: Option<StatusCode>,
    pub field: String,
    pub at: String,
    pub label: String,
    pub message: String,
}

impl FormProblem {
    /// No problem (the form as first shown).
    pub fn none() -> Self {
        FormProblem::default()
    }

    /// A problem with the input `at`, its label from [`label`].
    pub fn at(
        tr: &Tr<'_>,
        at: &str,
        message: impl Into<String>,
        label: impl Fn(&Tr<'_>, &str, &str) -> String,
    ) -> Self {
        FormProblem {
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            field: at.to_owned(),
            at: at.to_owned(),
            label: label(tr, at, at),
            message: message.into(),
        }
    }

    /// The problem an application error is for a form (invalid input: 422 at the input
    /// `place(field)`; a conflict: 409, not about one input); any other error is handed back.
    pub fn of(
        tr: &Tr<'_>,
        error: AppError,
        place: impl Fn(&str) -> String,
        label: impl Fn(&Tr<'_>, &str, &str) -> String,
    ) -> Result<Self, AppError> {
        match error {
            AppError::Invalid(ParseError { field, message }) => {
                let at = place(&field);
                let label = label(tr, &at, &field);
                Ok(FormProblem { status: Some(StatusCode::UNPROCESSABLE_ENTITY), field, at, label, message })
            }
            AppError::Conflict(message) => Ok(FormProblem {
                status: Some(StatusCode::CONFLICT),
                field: String::new(),
                at: String::new(),
                label: String::new(),
                message,
            }),
            other => Err(other),
        }
    }

    /// The status of the page showing the form: 200 without a problem.
    pub fn status(&self) -> StatusCode {
        self.status.unwrap_or(StatusCode::OK)
    }

    pub fn is_some(&self) -> bool {
        self.status.is_some()
    }

    /// The id of the input at fault (empty when the problem is not about one input).
    pub fn anchor(&self) -> &str {
        if safe_id(&self.at) { &self.at } else { "" }
    }

    /// Whether the problem is about the input `field`.
    pub fn has(&self, field: &str) -> bool {
        self.is_some() && !self.at.is_empty() && self.at == field
    }

    /// Whether the input `field` is marked as at fault (and its message placed next to it).
    pub fn marks(&self, field: &str) -> bool {
        self.has(field) && safe_id(field)
    }

    /// The message, when it belongs to this input.
    pub fn message(&self, field: &str) -> Option<&str> {
        self.has(field).then_some(self.message.as_str())
    }

    /// The problem in one line (`Label: message`).
    pub fn line(&self) -> Option<String> {
        self.is_some().then(|| {
            if self.label.is_empty() { self.message.clone() } else { format!("{}: {}", self.label, self.message) }
        })
    }
}

/// A name usable as an element id as it is.
pub(crate) fn safe_id(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The inputs `PREFIX.KEY` of a form as a map from `KEY` to the value typed, blank ones left
/// out: `levels.safety=urgent` is `safety → urgent`, for a use case's input that takes a map.
pub fn keyed(pairs: &FormPairs, prefix: &str) -> std::collections::BTreeMap<String, String> {
    pairs
        .0
        .iter()
        .filter_map(|(name, value)| {
            let key = name.strip_prefix(prefix)?.strip_prefix('.')?;
            (!key.is_empty() && !value.trim().is_empty()).then(|| (key.to_owned(), value.clone()))
        })
        .collect()
}

/// Shows a form again when a use case refuses what was typed.
pub trait OrFormProblem<T> {
    /// A problem with what was typed becomes the page `show` makes of it (the form with the
    /// typed values and the problem next to the field); any other error the error page.
    fn or_form(
        self,
        tr: &Tr<'_>,
        place: impl Fn(&str) -> String,
        label: impl Fn(&Tr<'_>, &str, &str) -> String,
        show: impl FnOnce(FormProblem) -> Response,
    ) -> Result<T, PageError>;
}

impl<T> OrFormProblem<T> for Result<T, AppError> {
    fn or_form(
        self,
        tr: &Tr<'_>,
        place: impl Fn(&str) -> String,
        label: impl Fn(&Tr<'_>, &str, &str) -> String,
        show: impl FnOnce(FormProblem) -> Response,
    ) -> Result<T, PageError> {
        match self {
            Ok(v) => Ok(v),
            Err(e) => match FormProblem::of(tr, e, place, label) {
                Ok(problem) => Err(PageError::Page(Box::new(show(problem)))),
                Err(e) => Err(e.into()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Default, Debug)]
    #[serde(deny_unknown_fields, default)]
    struct Input {
        status: String,
        version: i64,
        free_of_charge: bool,
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_form_body_is_the_use_cases_input_type() {
        let input: Input =
            typed(&pairs(&[("status", "started"), ("version", "3"), ("free_of_charge", "true")])).unwrap();
        assert_eq!((input.status.as_str(), input.version, input.free_of_charge), ("started", 3, true));
        let input: Input = typed(&pairs(&[])).unwrap();
        assert_eq!(input.version, 0);
    }

    #[test]
    fn a_value_that_does_not_fit_names_its_field() {
        let e = typed::<Input>(&pairs(&[("status", "x"), ("version", "three")])).unwrap_err();
        match e {
            PageError::Error(WebError::App(AppError::Invalid(p))) => assert_eq!(p.field, "version"),
            other => panic!("{other:?}"),
        }
    }
}
