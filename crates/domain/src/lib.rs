//! Haven's domain: pure types and rules. No IO, no async, no clock.
//!
//! Everything that comes from outside is parsed into these types ("parse, don't validate"):
//! a value of type [`CountryCode`] or [`Username`] is valid by construction.

pub mod access;
mod access_policy;
pub mod annual_report;
pub mod assist;
pub mod audit;
pub mod case;
pub mod greta;
pub mod ident;
pub mod instruments;
pub mod message;
pub mod networks;
pub mod org;
pub mod prevention;
pub mod proceedings;
pub mod processing_record;
pub mod retention;
pub mod strategy;
pub mod subject_request;
pub mod text;
pub mod transposition;
pub mod user;

pub use access::{Action, Compartment, Decision, Permission, authorize, permission_allowed};
pub use message::{Arg, Message, MessageId};
pub use org::{CountryCode, Jurisdiction, OrganisationKind};
pub use user::{Language, Role, Username};

/// A value that failed to parse, naming the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ParseError {
    pub field: String,
    /// In English, for the API and the logs.
    pub message: String,
    /// The same as a message of the translations, for pages in the reader's language; `None` for
    /// problems only an operator sees (reference data, configuration), which stay English.
    pub problem: Option<Message>,
}

impl ParseError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into(), problem: None }
    }

    /// A problem shown to people: `message` in English and `problem` its message of the translations.
    pub fn said(field: impl Into<String>, message: impl Into<String>, problem: Message) -> Self {
        Self { field: field.into(), message: message.into(), problem: Some(problem) }
    }

    /// The same problem, of the field `field` (a field within a larger one).
    #[must_use]
    pub fn within(self, field: impl Into<String>) -> Self {
        Self { field: field.into(), ..self }
    }

    /// A value that must be given and was not.
    pub fn empty(field: impl Into<String>) -> Self {
        Self::said(field, "must not be empty", Message::new(MessageId::MustNotBeEmpty))
    }

    /// A text longer than `max` characters.
    pub fn too_long(field: impl Into<String>, max: usize) -> Self {
        Self::said(
            field,
            format!("must be at most {max} characters"),
            Message::new(MessageId::AtMostCharacters).with("max", max),
        )
    }

    /// A text with control characters.
    pub fn control_characters(field: impl Into<String>) -> Self {
        Self::said(field, "must not contain control characters", Message::new(MessageId::NoControlCharacters))
    }

    /// A yes-or-no question left unanswered.
    pub fn yes_or_no(field: impl Into<String>) -> Self {
        Self::said(field, "must be answered yes or no", Message::new(MessageId::MustBeYesOrNo))
    }

    /// An answer other than yes or no.
    pub fn not_yes_or_no(field: impl Into<String>, value: &str) -> Self {
        Self::said(
            field,
            format!("{value:?} is not yes or no"),
            Message::new(MessageId::NotYesOrNo).with("value", value),
        )
    }

    /// A date after today.
    pub fn in_future(field: impl Into<String>, date: impl std::fmt::Display, today: impl std::fmt::Display) -> Self {
        Self::said(
            field,
            format!("{date} is in the future (today is {today})"),
            Message::new(MessageId::DateInFuture).with("date", &date).with("today", &today),
        )
    }

    /// A date after today, named by its field alone; `message` is the English said so far.
    pub fn future(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::said(field, message, Message::new(MessageId::MustNotBeInFuture))
    }

    /// A change dated before the last one.
    pub fn before_last_change(field: impl Into<String>, last: impl std::fmt::Display) -> Self {
        Self::said(
            field,
            format!("must not be before the last change ({last})"),
            Message::new(MessageId::NotBeforeLastChange).with("last", last),
        )
    }
}

/// Enums that travel as snake_case strings (database, JSON, forms) implement this.
pub trait Coded: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// Codes of earlier releases still read (stored rows, old backups and exchange files), with
    /// the value each now stands for. Never written.
    const LEGACY: &'static [(&'static str, Self)] = &[];
    /// The stable code.
    fn code(self) -> &'static str;
    /// Parses a code (or a legacy one); the error names `field` and lists the allowed codes.
    fn parse_code(field: &str, value: &str) -> Result<Self, ParseError> {
        let legacy = || Self::LEGACY.iter().find(|(old, _)| *old == value).map(|(_, v)| *v);
        Self::ALL.iter().copied().find(|v| v.code() == value).or_else(legacy).ok_or_else(|| {
            let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
            ParseError::said(
                field,
                format!("unknown value {value:?}; expected one of {}", allowed.join(", ")),
                if value.trim().is_empty() {
                    Message::new(MessageId::MustNotBeEmpty)
                } else {
                    Message::new(MessageId::UnknownValue).with("value", value)
                },
            )
        })
    }
}

/// Declares a coded enum with serde support through its code.
#[macro_export]
macro_rules! coded_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $crate::coded_enum! { $(#[$meta])* $vis enum $name { $($(#[$vmeta])* $variant => $code),+ } legacy {} }
    };
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }
     legacy { $($old:literal => $now:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::Coded for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const LEGACY: &'static [(&'static str, Self)] = &[$(($old, $name::$now)),*];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::Coded::code(*self))
            }
        }

        impl ::std::convert::TryFrom<String> for $name {
            type Error = $crate::ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                <$name as $crate::Coded>::parse_code(stringify!($name), &value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::Coded::code(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                <$name as $crate::Coded>::parse_code(stringify!($name), &s)
                    .map_err(|e| ::serde::de::Error::custom(e.message))
            }
        }
    };
}
