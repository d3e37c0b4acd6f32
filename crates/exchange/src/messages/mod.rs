//! The bodies of the message types (docs/transnational.md, "Message types"), each a domain type
//! with a `parse` that names the field of every problem, and a JSON Schema in
//! `crates/exchange/schemas/`. The codes follow Haven's own vocabularies (forms of exploitation
//! from `reference/exploitation-forms.csv`, the risk levels of the safe-return rules), but the
//! types are the wire format's own: an instance maps them to and from its records.

pub mod acknowledgement;
pub mod person_encodings;
pub mod referral;
pub mod referral_update;
pub mod statistics_submission;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;
use time::macros::format_description;

use crate::ids::FieldError;

/// The longest single-line text, in characters.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest free text, in characters.
pub const MAX_NARRATIVE_CHARS: usize = 4000;

fn text_problem(text: &str, max: usize, multi_line: bool) -> Option<String> {
    if text.trim().is_empty() {
        return Some("must not be empty".into());
    }
    if text.chars().count() > max {
        return Some(format!("at most {max} characters"));
    }
    let bad = |c: char| c.is_control() && !(multi_line && (c == '\n' || c == '\t'));
    if text.chars().any(bad) {
        return Some(if multi_line {
            "must not contain control characters other than line breaks and tabs".into()
        } else {
            "must be one line without control characters".into()
        });
    }
    if text != text.trim() {
        return Some("must not start or end with spaces".into());
    }
    None
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $max:expr, $multi:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(field: &str, text: &str) -> Result<$name, FieldError> {
                match text_problem(text, $max, $multi) {
                    None => Ok($name(text.to_owned())),
                    Some(problem) => Err(FieldError::new(field, problem)),
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse("", &text).map_err(|e| serde::de::Error::custom(e.problem))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// One line of text: not blank, at most [`MAX_LINE_CHARS`] characters, no control characters,
    /// no surrounding spaces.
    Line,
    MAX_LINE_CHARS,
    false
);
text_type!(
    /// Free text: not blank, at most [`MAX_NARRATIVE_CHARS`] characters, line breaks and tabs
    /// allowed, no other control characters.
    Narrative,
    MAX_NARRATIVE_CHARS,
    true
);

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate(pub Date);

impl CalendarDate {
    pub fn parse(field: &str, text: &str) -> Result<CalendarDate, FieldError> {
        let format = format_description!("[year]-[month]-[day]");
        match Date::parse(text, &format) {
            Ok(date) if text.len() == 10 => Ok(CalendarDate(date)),
            _ => Err(FieldError::new(field, "a date is YYYY-MM-DD (e.g. 2026-12-06)")),
        }
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(f, "{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        CalendarDate::parse("", &text).map_err(|e| serde::de::Error::custom(e.problem))
    }
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $check:expr, $problem:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(field: &str, text: &str) -> Result<$name, FieldError> {
                let check: fn(&str) -> bool = $check;
                if check(text) { Ok($name(text.to_owned())) } else { Err(FieldError::new(field, $problem)) }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse("", &text).map_err(|e| serde::de::Error::custom(e.problem))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_type!(
    /// An ISO 3166-1 alpha-2 country code (`LV`).
    CountryCode,
    |t| t.len() == 2 && t.bytes().all(|b| b.is_ascii_uppercase()),
    "a country is its ISO 3166-1 alpha-2 code, two upper-case letters (LV)"
);
code_type!(
    /// An ISO 639 language code, two or three lower-case letters (`lv`, `rom`).
    LanguageCode,
    |t| (2..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_lowercase()),
    "a language is its ISO 639 code, two or three lower-case letters (lv)"
);
code_type!(
    /// The id of a form of exploitation as in `reference/exploitation-forms.csv` (`sexual`,
    /// `forced_labour`, `begging`, ...): a lower-case letter, then lower-case letters, digits or
    /// underscores, at most 64. The receiver checks it against its catalogue, which the law may
    /// extend.
    FormCode,
    |t| !t.is_empty()
        && t.len() <= 64
        && t.as_bytes()[0].is_ascii_lowercase()
        && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
    "a form of exploitation is a lower-case code (sexual, forced_labour)"
);

/// Checks a list: not more than `max` items, none twice.
pub(crate) fn check_list<T: PartialEq>(field: &str, items: &[T], min: usize, max: usize) -> Result<(), FieldError> {
    if items.len() < min {
        return Err(FieldError::new(field, format!("at least {min} item(s)")));
    }
    if items.len() > max {
        return Err(FieldError::new(field, format!("at most {max} items")));
    }
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            return Err(FieldError::new(format!("{field}[{i}]"), "is listed twice"));
        }
    }
    Ok(())
}
