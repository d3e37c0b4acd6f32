//! A victim's lawyer: a representation as typed and as parsed (Dir 2011/36 Art 12(2): access to
//! legal counselling and legal representation; Dir 2012/29 Art 20). The victim of a case is
//! represented by a lawyer (a user with the role `victim_lawyer`) from a day, with the victim's
//! consent noted, until revoked. Who may record it and what the lawyer then reads is decided in
//! [`crate::access`] (`may_record_representation`, `may_represent`, `represented_view`,
//! `victims_view_shows`).

use super::{not_before, past_date};
use crate::text::{Narrative, parse_line};
use crate::{Message, MessageId, ParseError, case::CalendarDate};
use serde::{Deserialize, Serialize};

/// The articles a representation rests on.
pub const REPRESENTATION_SOURCES: &str = "Dir 2011/36 Art 12(2); Dir 2012/29 Art 20";

/// A representation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RepresentationInput {
    /// The user who represents the victim (holding the victim's lawyer role).
    pub lawyer_user_id: String,
    /// The first day of the representation.
    pub from_on: String,
    /// The victim consented to being represented by this lawyer, and to the lawyer reading the
    /// victim's view of the proceedings.
    pub consent_given: bool,
    /// The day the victim consented.
    pub consent_on: String,
    /// How the consent was given (optional; encrypted at rest).
    pub consent_note: String,
}

/// A representation as parsed: the victim's consent noted, on or before the first day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepresentationTerms {
    pub lawyer_user_id: String,
    pub from_on: CalendarDate,
    pub consent_on: CalendarDate,
    pub consent_note: Option<Narrative>,
}

impl RepresentationTerms {
    /// Parses the terms, with `today` the day they are recorded: neither day lies in the
    /// future, the consent comes first, and without the victim's consent nothing is recorded.
    pub fn parse(input: &RepresentationInput, today: CalendarDate) -> Result<Self, ParseError> {
        let lawyer_user_id = parse_line("lawyer_user_id", &input.lawyer_user_id, 100)?;
        if !input.consent_given {
            return Err(ParseError::said(
                "consent_given",
                "a victim is represented with the victim's consent: note it first",
                Message::new(MessageId::RepresentationNeedsConsent),
            ));
        }
        let consent_on = past_date("consent_on", &input.consent_on, today)?;
        let from_on = past_date("from_on", &input.from_on, today)?;
        not_before("from_on", from_on, consent_on)?;
        let consent_note = if input.consent_note.trim().is_empty() {
            None
        } else {
            Some(Narrative::parse("consent_note", &input.consent_note)?)
        };
        Ok(Self { lawyer_user_id, from_on, consent_on, consent_note })
    }
}

/// A revocation as typed: the reason is optional (encrypted at rest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RevocationInput {
    pub reason: String,
}

impl RevocationInput {
    pub fn reason(&self) -> Result<Option<Narrative>, ParseError> {
        if self.reason.trim().is_empty() { Ok(None) } else { Narrative::parse("reason", &self.reason).map(Some) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn input() -> RepresentationInput {
        RepresentationInput {
            lawyer_user_id: "lawyer-1".into(),
            from_on: "2026-09-02".into(),
            consent_given: true,
            consent_on: "2026-09-01".into(),
            consent_note: "signed power of attorney".into(),
        }
    }

    #[test]
    fn art_12_2_dir_a_representation_needs_the_victims_consent_first() {
        let today = day("2026-09-21");
        let terms = RepresentationTerms::parse(&input(), today).unwrap();
        assert_eq!((terms.from_on, terms.consent_on), (day("2026-09-02"), day("2026-09-01")));
        let refused = |i: RepresentationInput| RepresentationTerms::parse(&i, today).unwrap_err().field;
        assert_eq!(refused(RepresentationInput { consent_given: false, ..input() }), "consent_given");
        assert_eq!(refused(RepresentationInput { consent_on: "2026-09-03".into(), ..input() }), "from_on");
        assert_eq!(refused(RepresentationInput { from_on: "2026-09-22".into(), ..input() }), "from_on");
        assert_eq!(refused(RepresentationInput { consent_on: "".into(), ..input() }), "consent_on");
        assert_eq!(refused(RepresentationInput { lawyer_user_id: " ".into(), ..input() }), "lawyer_user_id");
        let plain = RepresentationTerms::parse(&RepresentationInput { consent_note: " ".into(), ..input() }, today);
        assert_eq!(plain.unwrap().consent_note, None);
    }
}
