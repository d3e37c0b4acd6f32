//! Free text as it arrives from people: bounded, trimmed, no control characters.

use crate::ParseError;
use serde::{Deserialize, Serialize};

/// A trimmed, non-empty line of text of at most `max` characters without control characters.
pub fn parse_line(field: &str, value: &str, max: usize) -> Result<String, ParseError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ParseError::empty(field));
    }
    if trimmed.chars().count() > max {
        return Err(ParseError::too_long(field, max));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ParseError::control_characters(field));
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
            return Err(ParseError::empty(field));
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(ParseError::too_long(field, Self::MAX_CHARS));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
            return Err(ParseError::control_characters(field));
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

/// The first characters that make a spreadsheet read a cell as a formula (OWASP: CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell for a CSV export that a spreadsheet will not run: a value that starts like a formula
/// gets a leading `'`, and so does a value that already starts with `'` followed by such a
/// character or another `'`, so that [`csv_cell_from_export`] gives every value back unchanged.
pub fn csv_cell_for_export(value: &str) -> std::borrow::Cow<'_, str> {
    let mut chars = value.chars();
    let needs = match chars.next() {
        Some(c) if FORMULA_STARTS.contains(&c) => true,
        Some('\'') => chars.next().is_some_and(|c| c == '\'' || FORMULA_STARTS.contains(&c)),
        _ => false,
    };
    if needs { std::borrow::Cow::Owned(format!("'{value}")) } else { std::borrow::Cow::Borrowed(value) }
}

/// The value of a cell written by [`csv_cell_for_export`]. A leading `'` is removed only before a
/// formula character or another `'`, so a name such as `'t Hooft` is read as written.
pub fn csv_cell_from_export(cell: &str) -> &str {
    let mut chars = cell.chars();
    match (chars.next(), chars.next()) {
        (Some('\''), Some(c)) if c == '\'' || FORMULA_STARTS.contains(&c) => &cell[1..],
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_exports_neutralise_formulas_and_read_back_every_value() {
        for (value, exported) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+1", "'+1"),
            ("-cmd", "'-cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''", "'''"),
            ("'t Hooft", "'t Hooft"),
            ("Anna", "Anna"),
            ("", ""),
        ] {
            assert_eq!(super::csv_cell_for_export(value), exported, "{value:?}");
            assert_eq!(super::csv_cell_from_export(exported), value, "{exported:?}");
        }
    }

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
