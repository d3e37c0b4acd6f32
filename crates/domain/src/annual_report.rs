//! The rapporteur's annual report (docs/monitoring.md, "The annual report"): one report per
//! jurisdiction and year, assembled from what the platform holds (released statistics,
//! transposition, strategy, GRETA) around the rapporteur's own narrative sections.
//!
//! The national rapporteur or equivalent mechanism gathers statistics and reports
//! ([`LEGAL_BASIS_DIRECTIVE`]); the Convention asks the Parties to consider national rapporteurs
//! for monitoring ([`LEGAL_BASIS_CONVENTION`]). The report holds no person: its figures are the
//! released tables as they were published, and its narrative is the rapporteur's text, kept
//! encrypted at rest as every free text is. A final report is not changed again.

use crate::text::parse_line;
use crate::{Jurisdiction, Message, MessageId, ParseError, coded_enum};
use serde::{Deserialize, Serialize};

/// The rapporteurs' gathering of statistics and reporting.
pub const LEGAL_BASIS_DIRECTIVE: &str = "Dir 2011/36 Art 19";
/// National rapporteurs monitoring the anti-trafficking activities of State institutions.
pub const LEGAL_BASIS_CONVENTION: &str = "CETS 197 Art 29(4)";
/// The EU level's report from the Member States' information.
pub const LEGAL_BASIS_EU: &str = "Dir 2011/36 Art 20";

/// The longest title of a narrative section.
pub const MAX_TITLE: usize = 200;
/// The longest text of a narrative section.
pub const MAX_TEXT: usize = 20_000;
/// The most narrative sections a report holds.
pub const MAX_SECTIONS: usize = 30;
/// The first and last reference year of a report.
pub const FIRST_YEAR: u16 = 2008;
pub const LAST_YEAR: u16 = 2100;

coded_enum! {
    /// Where a report stands: a draft the rapporteur still writes, or final (unchanged from then on).
    pub enum ReportStatus {
        Draft => "draft",
        Final => "final",
    }
}

/// One of the rapporteur's narrative sections, in the report's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NarrativeSection {
    pub title: String,
    pub text: String,
}

/// A section as typed: `position` (1-based) empty for a new section at the end; `remove` set to
/// take the section at `position` out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SectionInput {
    pub position: String,
    pub title: String,
    pub text: String,
    pub remove: bool,
}

/// A report's own record: whose, which year, its status and its narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualReport {
    pub id: String,
    pub jurisdiction: Jurisdiction,
    pub year: u16,
    pub status: ReportStatus,
    pub sections: Vec<NarrativeSection>,
    /// Who made it final and when (Unix seconds).
    pub finalised_by: Option<String>,
    pub finalised_at: Option<i64>,
}

/// A report year from what was typed or addressed.
pub fn parse_year(field: &str, value: &str) -> Result<u16, ParseError> {
    value.trim().parse::<u16>().ok().filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y)).ok_or_else(|| {
        ParseError::said(
            field,
            format!("a year from {FIRST_YEAR} to {LAST_YEAR}"),
            Message::new(MessageId::ReportYear).with("first", FIRST_YEAR).with("last", LAST_YEAR),
        )
    })
}

fn text(field: &str, value: &str) -> Result<String, ParseError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ParseError::empty(field));
    }
    if trimmed.chars().count() > MAX_TEXT {
        return Err(ParseError::too_long(field, MAX_TEXT));
    }
    if trimmed.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(ParseError::control_characters(field));
    }
    Ok(trimmed.replace("\r\n", "\n"))
}

fn position(value: &str, len: usize, new_allowed: bool) -> Result<Option<usize>, ParseError> {
    let value = value.trim();
    if value.is_empty() {
        return if new_allowed { Ok(None) } else { Err(ParseError::empty("position")) };
    }
    let last = if new_allowed { len + 1 } else { len };
    match value.parse::<usize>().ok().filter(|p| (1..=last).contains(p)) {
        Some(p) => Ok(Some(p - 1)),
        None => Err(ParseError::said(
            "position",
            format!("a section number from 1 to {last}"),
            Message::new(MessageId::ReportSectionPosition).with("last", last),
        )),
    }
}

impl AnnualReport {
    /// A new draft with no section yet.
    pub fn draft(id: String, jurisdiction: Jurisdiction, year: u16) -> Self {
        AnnualReport {
            id,
            jurisdiction,
            year,
            status: ReportStatus::Draft,
            sections: Vec::new(),
            finalised_by: None,
            finalised_at: None,
        }
    }

    fn still_draft(&self) -> Result<(), ParseError> {
        match self.status {
            ReportStatus::Draft => Ok(()),
            ReportStatus::Final => Err(ParseError::said(
                "status",
                "the report is final and is not changed again",
                Message::new(MessageId::ReportFinal),
            )),
        }
    }

    /// Applies a typed section to a draft: a new one appended (or put at `position`, the others
    /// moving down), one replaced at `position`, or one removed. A final report is refused.
    pub fn apply(&mut self, input: &SectionInput) -> Result<(), ParseError> {
        self.still_draft()?;
        if input.remove {
            let at = position(&input.position, self.sections.len(), false)?.unwrap_or(0);
            self.sections.remove(at);
            return Ok(());
        }
        let section = NarrativeSection {
            title: parse_line("title", input.title.trim(), MAX_TITLE)?,
            text: text("text", &input.text)?,
        };
        match position(&input.position, self.sections.len(), true)? {
            Some(at) if at < self.sections.len() => self.sections[at] = section,
            _ if self.sections.len() >= MAX_SECTIONS => {
                return Err(ParseError::said(
                    "position",
                    format!("at most {MAX_SECTIONS} sections"),
                    Message::new(MessageId::ReportTooManySections).with("max", MAX_SECTIONS),
                ));
            }
            _ => self.sections.push(section),
        }
        Ok(())
    }

    /// Makes a draft final, by `by` at `at`; a final report is refused.
    pub fn finalise(&mut self, by: &str, at: i64) -> Result<(), ParseError> {
        self.still_draft()?;
        self.status = ReportStatus::Final;
        self.finalised_by = Some(by.to_owned());
        self.finalised_at = Some(at);
        Ok(())
    }

    /// The provisions the report rests on: the Directive's rapporteurs and the Convention's,
    /// or at the EU level the Member States' information gathered there.
    pub fn legal_basis(&self) -> Vec<&'static str> {
        match self.jurisdiction {
            Jurisdiction::EuropeanUnion => vec![LEGAL_BASIS_EU, LEGAL_BASIS_DIRECTIVE],
            Jurisdiction::Country(_) => vec![LEGAL_BASIS_DIRECTIVE, LEGAL_BASIS_CONVENTION],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv() -> Jurisdiction {
        Jurisdiction::parse("j", "LV").unwrap()
    }

    fn input(position: &str, title: &str, text: &str) -> SectionInput {
        SectionInput { position: position.into(), title: title.into(), text: text.into(), remove: false }
    }

    #[test]
    fn art_19_dir_2011_36_sections_are_added_replaced_and_removed_in_order() {
        let mut r = AnnualReport::draft("r".into(), lv(), 2026);
        r.apply(&input("", "Introduction", "One.")).unwrap();
        r.apply(&input("", "Trends", "Two.\r\nLines.")).unwrap();
        assert_eq!(r.sections[1].text, "Two.\nLines.");
        r.apply(&input("1", "Foreword", "Zero.")).unwrap();
        assert_eq!(r.sections[0].title, "Foreword");
        assert_eq!(r.sections.len(), 2);
        r.apply(&SectionInput { position: "1".into(), remove: true, ..SectionInput::default() }).unwrap();
        assert_eq!(r.sections, vec![NarrativeSection { title: "Trends".into(), text: "Two.\nLines.".into() }]);
        assert_eq!(r.legal_basis(), vec!["Dir 2011/36 Art 19", "CETS 197 Art 29(4)"]);
    }

    #[test]
    fn bad_sections_name_their_field() {
        let mut r = AnnualReport::draft("r".into(), lv(), 2026);
        assert_eq!(r.apply(&input("", " ", "x")).unwrap_err().field, "title");
        assert_eq!(r.apply(&input("", "T", "")).unwrap_err().field, "text");
        assert_eq!(r.apply(&input("3", "T", "x")).unwrap_err().field, "position");
        assert_eq!(r.apply(&input("", "T", "a\u{7}b")).unwrap_err().field, "text");
        let remove = SectionInput { position: "1".into(), remove: true, ..SectionInput::default() };
        assert_eq!(r.apply(&remove).unwrap_err().field, "position");
        assert_eq!(parse_year("year", "1990").unwrap_err().field, "year");
        assert_eq!(parse_year("year", "2026").unwrap(), 2026);
    }

    #[test]
    fn a_final_report_is_not_changed_again() {
        let mut r = AnnualReport::draft("r".into(), lv(), 2026);
        r.apply(&input("", "Introduction", "One.")).unwrap();
        r.finalise("u1", 100).unwrap();
        assert_eq!((r.status, r.finalised_by.as_deref(), r.finalised_at), (ReportStatus::Final, Some("u1"), Some(100)));
        assert_eq!(r.apply(&input("", "More", "x")).unwrap_err().field, "status");
        assert_eq!(r.finalise("u2", 200).unwrap_err().field, "status");
    }
}
