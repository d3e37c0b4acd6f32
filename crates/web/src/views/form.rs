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
use haven_domain::{Message, MessageId, ParseError};
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
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    repeated::from_pairs::<T>(&refs).map_err(|e| {
        // Find the field at fault: the first one whose removal makes the rest acceptable.
        let field = pairs.iter().map(|(k, _)| k).find(|name| {
            let rest: Vec<(&str, &str)> = refs.iter().filter(|(k, _)| k != name).copied().collect();
            repeated::from_pairs::<T>(&rest).is_ok()
        });
        match field {
            Some(field) => {
                let value = pairs.iter().find(|(k, _)| k == field).map_or("", |(_, v)| v.as_str());
                PageError::from(AppError::Invalid(ParseError::said(
                    field,
                    e.to_string(),
                    Message::new(MessageId::ValueNotUnderstood).with("value", value),
                )))
            }
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
            AppError::Invalid(error) => {
                let message = tr.problem(&error);
                let ParseError { field, .. } = error;
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
            AppError::ConflictSaid { message, .. } => Ok(FormProblem {
                status: Some(StatusCode::CONFLICT),
                field: String::new(),
                at: String::new(),
                label: String::new(),
                message: tr.msg(&message),
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

/// Form pairs as a typed value: a name sent more than once (checkboxes, a multiple select) is a
/// sequence, a name sent once is a value or a sequence of one, as the field's type asks; numbers
/// and `true`/`false` are read from their text.
mod repeated {
    use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
    use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

    pub(super) fn from_pairs<T: DeserializeOwned>(pairs: &[(&str, &str)]) -> Result<T, Error> {
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for (k, v) in pairs {
            match groups.iter_mut().find(|(name, _)| name == k) {
                Some((_, values)) => values.push(v),
                None => groups.push((k, vec![v])),
            }
        }
        T::deserialize(MapDeserializer::new(groups.into_iter().map(|(k, v)| (k, Values(v)))))
    }

    /// The values sent under one name.
    struct Values<'a>(Vec<&'a str>);

    /// One value as text.
    struct Part<'a>(&'a str);

    impl<'de> IntoDeserializer<'de, Error> for Values<'de> {
        type Deserializer = Self;
        fn into_deserializer(self) -> Self {
            self
        }
    }

    impl<'de> IntoDeserializer<'de, Error> for Part<'de> {
        type Deserializer = Self;
        fn into_deserializer(self) -> Self {
            self
        }
    }

    impl<'de> Values<'de> {
        /// The value of a field that holds one: the last one sent.
        fn one(&self) -> Part<'de> {
            Part(self.0.last().copied().unwrap_or_default())
        }
    }

    macro_rules! to_one {
        ($($method:ident)*) => {$(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.one().$method(visitor)
            }
        )*};
    }

    impl<'de> de::Deserializer<'de> for Values<'de> {
        type Error = Error;

        fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_seq(SeqDeserializer::new(self.0.into_iter().map(Part)))
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_some(self)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.one().deserialize_enum(name, variants, visitor)
        }

        to_one! {
            deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64
            deserialize_char deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
            deserialize_unit deserialize_identifier deserialize_ignored_any deserialize_map
        }

        serde::forward_to_deserialize_any! { unit_struct tuple tuple_struct struct i128 u128 }
    }

    macro_rules! parsed {
        ($($method:ident $visit:ident)*) => {$(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.0.trim().parse() {
                    Ok(v) => visitor.$visit(v),
                    Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(self.0), &visitor)),
                }
            }
        )*};
    }

    impl<'de> de::Deserializer<'de> for Part<'de> {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_borrowed_str(self.0)
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_some(self)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            de::Deserializer::deserialize_enum(self.0.into_deserializer(), name, variants, visitor)
        }

        fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        parsed! {
            deserialize_bool visit_bool deserialize_i8 visit_i8 deserialize_i16 visit_i16
            deserialize_i32 visit_i32 deserialize_i64 visit_i64 deserialize_u8 visit_u8
            deserialize_u16 visit_u16 deserialize_u32 visit_u32 deserialize_u64 visit_u64
            deserialize_f32 visit_f32 deserialize_f64 visit_f64
        }

        serde::forward_to_deserialize_any! {
            i128 u128 char str string bytes byte_buf unit_struct seq tuple tuple_struct map struct
            identifier ignored_any
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

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Repeated {
        name: String,
        #[serde(default)]
        roles: Vec<String>,
        seq: u32,
        corrects: Option<u32>,
    }

    #[test]
    fn a_name_sent_more_than_once_is_a_sequence_and_once_a_sequence_of_one() {
        let r: Repeated =
            typed(&pairs(&[("name", "a"), ("roles", "x"), ("seq", "2"), ("roles", "y"), ("corrects", "1")])).unwrap();
        assert_eq!((r.name.as_str(), r.roles, r.seq, r.corrects), ("a", vec!["x".into(), "y".into()], 2, Some(1)));
        let r: Repeated = typed(&pairs(&[("name", "a"), ("roles", "x"), ("seq", "0")])).unwrap();
        assert_eq!((r.roles, r.corrects), (vec!["x".to_string()], None));
        let e = typed::<Repeated>(&pairs(&[("name", "a"), ("seq", "1"), ("corrects", "-1")])).unwrap_err();
        assert!(matches!(e, PageError::Error(WebError::App(AppError::Invalid(p))) if p.field == "corrects"));
        assert!(typed::<Repeated>(&pairs(&[("name", "a"), ("seq", "1"), ("other", "z")])).is_err());
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
