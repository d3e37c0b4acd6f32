//! The victim's right to information on the proceedings and their outcome (Dir 2011/36 Art 11
//! with Dir 2012/29 Art 6; CETS 197 Arts 12(1)(d) and 15(1)).
//!
//! Each piece of information given to a victim linked to an investigation is logged
//! ([`InformationGiven`]): what, how, in which language, by whom, on which day. An event of the
//! proceedings that calls for information (a decision not to prosecute or to end the
//! investigation, an indictment that brings a trial, a judgment) makes it due to every linked
//! victim until information of that kind is logged for the victim on or after the event
//! ([`information_due`]).

use super::{VictimLink, not_before, past_date};
use crate::assist::directory::LanguageCode;
use crate::text::{Narrative, parse_line};
use crate::{Coded, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// The provisions behind the log, for every kind.
pub const ARTICLES: &str = "Dir 2011/36 Art 11; Dir 2012/29 Art 6; CETS 197 Arts 12(1)(d) and 15(1)";

coded_enum! {
    /// What the victim was told.
    pub enum InformationKind {
        /// A decision not to prosecute, not to proceed with or to end the investigation, with
        /// its reasons (Dir 2012/29 Art 6(1)(a)).
        DecisionNotToProsecute => "decision_not_to_prosecute",
        /// The time and place of the trial and the nature of the charges (Art 6(1)(b)).
        TrialTimeAndPlace => "trial_time_and_place",
        /// The final judgment (Art 6(2)(a)).
        FinalJudgment => "final_judgment",
        /// The state of the proceedings (Art 6(2)(b)).
        StateOfProceedings => "state_of_proceedings",
        /// The offender released from or escaped detention (Art 6(5)).
        OffenderReleased => "offender_released",
    }
}

impl InformationKind {
    pub fn article(self) -> &'static str {
        match self {
            Self::DecisionNotToProsecute => "Dir 2012/29 Art 6(1)(a)",
            Self::TrialTimeAndPlace => "Dir 2012/29 Art 6(1)(b)",
            Self::FinalJudgment => "Dir 2012/29 Art 6(2)(a)",
            Self::StateOfProceedings => "Dir 2012/29 Art 6(2)(b)",
            Self::OffenderReleased => "Dir 2012/29 Art 6(5)",
        }
    }
}

coded_enum! {
    /// How the information was given.
    pub enum InformationChannel {
        InPerson => "in_person",
        Letter => "letter",
        Phone => "phone",
        Email => "email",
        /// Through the victim's lawyer or representative.
        ThroughRepresentative => "through_representative",
    }
}

/// A piece of information given to a victim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InformationGiven {
    pub id: String,
    pub investigation_id: String,
    pub case_id: String,
    pub kind: InformationKind,
    pub channel: InformationChannel,
    /// The language it was given in (ISO 639-1), one the victim understands (Dir 2012/29
    /// Art 7; CETS 197 Art 12(1)(d)).
    pub language: LanguageCode,
    /// Who gave it (a person or an office; encrypted at rest).
    pub given_by: String,
    pub given_on: CalendarDate,
    /// What was said, where worth keeping (encrypted at rest).
    pub note: Option<Narrative>,
}

/// Information as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct InformationInput {
    pub case_id: String,
    pub kind: String,
    pub channel: String,
    pub language: String,
    pub given_by: String,
    pub given_on: String,
    pub note: String,
}

impl InformationGiven {
    /// Parses a log entry for a victim of an investigation opened on `opened_on`; the day lies
    /// between the opening and `today`.
    pub fn parse(
        id: String,
        investigation_id: &str,
        input: &InformationInput,
        opened_on: CalendarDate,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let given_on = past_date("given_on", &input.given_on, today)?;
        not_before("given_on", given_on, opened_on)?;
        Ok(Self {
            id,
            investigation_id: investigation_id.to_owned(),
            case_id: parse_line("case_id", &input.case_id, 100)?,
            kind: InformationKind::parse_code("kind", input.kind.trim())?,
            channel: InformationChannel::parse_code("channel", input.channel.trim())?,
            language: LanguageCode::parse("language", input.language.trim())?,
            given_by: parse_line("given_by", &input.given_by, 200)?,
            given_on,
            note: if input.note.trim().is_empty() { None } else { Some(Narrative::parse("note", &input.note)?) },
        })
    }
}

/// An event of the proceedings that calls for information of `kind` to every linked victim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InformationEvent {
    pub kind: InformationKind,
    pub on: CalendarDate,
}

/// Information due to a victim and not logged yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InformationDue {
    pub case_id: String,
    pub kind: InformationKind,
    /// The event that calls for it.
    pub since: CalendarDate,
    pub article: &'static str,
    pub message: Message,
}

/// For each linked victim and each kind of event, the latest event with no information of that
/// kind logged for the victim on or after it.
pub fn information_due(
    events: &[InformationEvent],
    victims: &[VictimLink],
    given: &[InformationGiven],
) -> Vec<InformationDue> {
    let mut out = Vec::new();
    for victim in victims {
        for kind in InformationKind::ALL {
            let Some(latest) = events.iter().filter(|e| e.kind == *kind).map(|e| e.on).max() else { continue };
            let told = given.iter().any(|g| g.case_id == victim.case_id && g.kind == *kind && g.given_on >= latest);
            if !told {
                out.push(InformationDue {
                    case_id: victim.case_id.clone(),
                    kind: *kind,
                    since: latest,
                    article: kind.article(),
                    message: Message::new(MessageId::ProceedingsInformationDue)
                        .labels("kind", "information-kind", [kind.code()])
                        .with("date", latest)
                        .with("article", kind.article()),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::tests::date;

    fn input(kind: &str, on: &str) -> InformationInput {
        InformationInput {
            case_id: "case-1".into(),
            kind: kind.into(),
            channel: "in_person".into(),
            language: "uk".into(),
            given_by: "Prosecutor A. Ozola".into(),
            given_on: on.into(),
            note: String::new(),
        }
    }

    fn given(kind: &str, on: &str) -> InformationGiven {
        InformationGiven::parse(
            format!("{kind}-{on}"),
            "inv-1",
            &input(kind, on),
            date("2026-03-01"),
            date("2026-09-21"),
        )
        .unwrap()
    }

    fn link(case_id: &str) -> VictimLink {
        VictimLink { case_id: case_id.into(), linked_on: date("2026-03-01") }
    }

    #[test]
    fn art_11_dir_information_given_is_logged_with_how_in_which_language_and_by_whom() {
        let g = given("trial_time_and_place", "2026-06-01");
        assert_eq!(
            (g.kind, g.channel, g.language.as_str()),
            (InformationKind::TrialTimeAndPlace, InformationChannel::InPerson, "uk")
        );
        let parse = |i: &InformationInput| {
            InformationGiven::parse("i".into(), "inv-1", i, date("2026-03-01"), date("2026-09-21")).map_err(|e| e.field)
        };
        let mut bad = input("final_judgment", "2026-06-01");
        bad.language = "ukrainian".into();
        assert_eq!(parse(&bad), Err("language".into()));
        assert_eq!(parse(&input("gossip", "2026-06-01")), Err("kind".into()));
        assert_eq!(parse(&input("final_judgment", "2026-02-01")), Err("given_on".into()), "before the opening");
        let mut bad = input("final_judgment", "2026-06-01");
        bad.given_by = " ".into();
        assert_eq!(parse(&bad), Err("given_by".into()));
    }

    #[test]
    fn art_11_dir_an_event_makes_information_due_to_every_linked_victim_until_logged() {
        let events = [
            InformationEvent { kind: InformationKind::TrialTimeAndPlace, on: date("2026-05-01") },
            InformationEvent { kind: InformationKind::FinalJudgment, on: date("2026-09-01") },
        ];
        let victims = [link("case-1"), link("case-2")];
        // case-1 told of the trial after the indictment; told of the judgment before it (does
        // not count); case-2 told nothing.
        let log = [given("trial_time_and_place", "2026-05-03"), given("final_judgment", "2026-08-01")];
        let due = information_due(&events, &victims, &log);
        let pairs: Vec<_> = due.iter().map(|d| (d.case_id.as_str(), d.kind)).collect();
        assert_eq!(
            pairs,
            vec![
                ("case-1", InformationKind::FinalJudgment),
                ("case-2", InformationKind::TrialTimeAndPlace),
                ("case-2", InformationKind::FinalJudgment),
            ]
        );
        assert_eq!(due[0].article, "Dir 2012/29 Art 6(2)(a)");
        assert_eq!(due[0].message.id, MessageId::ProceedingsInformationDue);
        // No event, nothing due.
        assert!(information_due(&[], &victims, &[]).is_empty());
    }
}
