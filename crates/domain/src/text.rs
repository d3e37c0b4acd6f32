//! Free text as it arrives from people: bounded, trimmed, no control characters.

use crate::ParseError;
use serde::{Deserialize, Serialize};

/// A trimmed, non-empty line of text of at most `max` characters without control characters.
pub fn parse_line(field: &str, value: &str, max: usize) -> Result<String, ParseError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ParseError::new(field, "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(ParseError::new(field, format!("must be at most {max} characters")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ParseError::new(field, "must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}

/// Multi-line free text (narratives, notes): newlines and tabs allowed, other controls refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Narrative(String);

impl Narrative {
    pub const MAX_CHARS: usize = 20_000;

    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(ParseError::new(field, "must not be empty"));
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(ParseError::new(field, format!("must be at most {} characters", Self::MAX_CHARS)));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
            return Err(ParseError::new(field, "must not contain control characters"));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Narrative {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("text", &value)
    }
}

impl From<Narrative> for String {
    fn from(value: Narrative) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_are_trimmed_and_bounded() {
        assert_eq!(parse_line("name", "  Anna  ", 10).unwrap(), "Anna");
        assert!(parse_line("name", "   ", 10).is_err());
        assert_eq!(parse_line("name", "abcdefghijk", 10).unwrap_err().field, "name");
        assert!(parse_line("name", "a\u{0}b", 10).is_err());
    }

    #[test]
    fn markup_and_sql_are_kept_as_text() {
        let s = "<script>alert(1)</script>'; DROP TABLE users;--";
        assert_eq!(parse_line("name", s, 200).unwrap(), s);
    }

    proptest! {
        #[test]
        fn parsed_lines_never_contain_controls(s in "\\PC*") {
            if let Ok(line) = parse_line("f", &s, 1000) {
                prop_assert!(!line.chars().any(char::is_control));
                prop_assert_eq!(line.trim(), line.as_str());
            }
        }
    }
}
