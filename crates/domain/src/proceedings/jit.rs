//! Joint investigation teams (Council Framework Decision 2002/465/JHA; the Convention on
//! Mutual Assistance in Criminal Matters of 29 May 2000, Art 13): teams of two or more States, set up by an agreement for a purpose and a
//! period, with Eurojust and Europol taking part or not.
//!
//! A team links investigations of its member countries, one or more per country, each linked by
//! who writes that investigation. Who reads a team is decided in the access module
//! ([`crate::access::authorize_joint_team`]): whoever reads one of its investigations sees the
//! team and its parties, not the investigations of the other countries. The exchange of
//! messages between the parties is not here (its own issue).

use super::{not_before, past_date};
use crate::text::{Narrative, parse_line};
use crate::{Coded, CountryCode, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// FD 2002/465/JHA Art 1(1): a joint investigation team is set up by two or more States.
pub const TWO_OR_MORE_STATES: &str = "FD 2002/465/JHA Art 1(1)";

/// At most this many members (agencies) in one team.
pub const MAX_MEMBERS: usize = 30;

coded_enum! {
    /// How a team ended.
    pub enum TeamOutcome {
        /// Its purpose was met: suspects charged or prosecuted in one or more member countries.
        Prosecutions => "prosecutions",
        /// It ended without prosecutions (evidence, suspects not found).
        NoProsecutions => "no_prosecutions",
        /// Ended before its term by the parties.
        EndedEarly => "ended_early",
    }
}

/// A party to the team: an agency of a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub country: CountryCode,
    /// The agency, as named in the agreement ("State Police", "Prokuratuur").
    pub agency: String,
}

/// A joint investigation team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointTeam {
    pub id: String,
    /// The agreement's reference.
    pub agreement_reference: String,
    pub signed_on: CalendarDate,
    pub starts_on: CalendarDate,
    /// The agreed end (extended by a new end).
    pub ends_on: CalendarDate,
    pub members: Vec<TeamMember>,
    /// Eurojust takes part (Regulation (EU) 2018/1727).
    pub eurojust: bool,
    /// Europol takes part (Regulation (EU) 2016/794 Art 5).
    pub europol: bool,
    /// What the team is for (encrypted at rest).
    pub purpose: Narrative,
    pub outcome: Option<TeamOutcome>,
    pub ended_on: Option<CalendarDate>,
    /// The evaluation of the team (encrypted at rest).
    pub evaluation: Option<Narrative>,
}

/// A member as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamMemberInput {
    pub country: String,
    pub agency: String,
}

/// A team as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JointTeamInput {
    pub agreement_reference: String,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub members: Vec<TeamMemberInput>,
    pub eurojust: bool,
    pub europol: bool,
    pub purpose: String,
}

impl JointTeam {
    /// Sets up a team: two or more member countries (FD 2002/465/JHA Art 1(1)), the agencies
    /// named, starting on or after the agreement was signed and ending after it starts.
    pub fn set_up(id: String, input: &JointTeamInput, today: CalendarDate) -> Result<Self, ParseError> {
        let signed_on = past_date("signed_on", &input.signed_on, today)?;
        let starts_on = CalendarDate::parse("starts_on", input.starts_on.trim())?;
        not_before("starts_on", starts_on, signed_on)?;
        let ends_on = CalendarDate::parse("ends_on", input.ends_on.trim())?;
        not_before("ends_on", ends_on, starts_on)?;
        if input.members.len() > MAX_MEMBERS {
            return Err(ParseError::too_long("members", MAX_MEMBERS));
        }
        let mut members: Vec<TeamMember> = Vec::new();
        for (i, m) in input.members.iter().enumerate() {
            let member = TeamMember {
                country: CountryCode::parse("country", &m.country)
                    .map_err(|e| e.within(format!("members[{i}].country")))?,
                agency: parse_line("agency", &m.agency, 200).map_err(|e| e.within(format!("members[{i}].agency")))?,
            };
            if !members.contains(&member) {
                members.push(member);
            }
        }
        let team = Self {
            id,
            agreement_reference: parse_line("agreement_reference", &input.agreement_reference, 100)?,
            signed_on,
            starts_on,
            ends_on,
            members,
            eurojust: input.eurojust,
            europol: input.europol,
            purpose: Narrative::parse("purpose", &input.purpose)?,
            outcome: None,
            ended_on: None,
            evaluation: None,
        };
        if team.countries().len() < 2 {
            return Err(ParseError::said(
                "members",
                "a joint investigation team is set up by two or more States (FD 2002/465/JHA Art 1(1))",
                Message::new(MessageId::ProceedingsTeamNeedsTwoStates),
            ));
        }
        Ok(team)
    }

    /// The member countries, each once, in the order first named.
    pub fn countries(&self) -> Vec<CountryCode> {
        let mut out: Vec<CountryCode> = Vec::new();
        for m in &self.members {
            if !out.contains(&m.country) {
                out.push(m.country);
            }
        }
        out
    }

    /// Whether an investigation of `country` may be linked: only a member country's.
    pub fn check_link(&self, country: CountryCode) -> Result<(), ParseError> {
        if self.countries().contains(&country) {
            Ok(())
        } else {
            Err(ParseError::said(
                "investigation_id",
                format!("{country} is not a member of the team"),
                Message::new(MessageId::ProceedingsTeamCountryNotMember).with("country", country),
            ))
        }
    }

    /// Records how the team ended, once, with the evaluation.
    pub fn conclude(&self, outcome: &str, on: &str, evaluation: &str, today: CalendarDate) -> Result<Self, ParseError> {
        if self.outcome.is_some() {
            return Err(ParseError::said(
                "outcome",
                "the team's outcome is recorded already",
                Message::new(MessageId::ProceedingsTeamConcluded),
            ));
        }
        let outcome = TeamOutcome::parse_code("outcome", outcome.trim())?;
        let on = past_date("ended_on", on, today)?;
        not_before("ended_on", on, self.starts_on)?;
        Ok(Self {
            outcome: Some(outcome),
            ended_on: Some(on),
            evaluation: Some(Narrative::parse("evaluation", evaluation)?),
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::tests::date;

    fn input() -> JointTeamInput {
        JointTeamInput {
            agreement_reference: "JIT LV-EE 2026/01".into(),
            signed_on: "2026-02-01".into(),
            starts_on: "2026-02-15".into(),
            ends_on: "2027-02-14".into(),
            members: vec![
                TeamMemberInput { country: "LV".into(), agency: "State Police".into() },
                TeamMemberInput { country: "EE".into(), agency: "Police and Border Guard Board".into() },
                TeamMemberInput { country: "EE".into(), agency: "Prosecutor's Office".into() },
            ],
            eurojust: true,
            europol: true,
            purpose: "Recruitment in Tallinn for construction sites in Riga.".into(),
        }
    }

    #[test]
    fn fd_2002_465_art_1_a_team_is_of_two_or_more_states_and_links_only_their_investigations() {
        let today = date("2026-05-28");
        let team = JointTeam::set_up("t".into(), &input(), today).unwrap();
        let lv = CountryCode::parse("c", "LV").unwrap();
        let ee = CountryCode::parse("c", "EE").unwrap();
        assert_eq!(team.countries(), vec![lv, ee]);
        team.check_link(ee).unwrap();
        let e = team.check_link(CountryCode::parse("c", "LT").unwrap()).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.problem.unwrap().id),
            ("investigation_id", MessageId::ProceedingsTeamCountryNotMember)
        );
        let mut one = input();
        one.members.remove(0);
        let e = JointTeam::set_up("t".into(), &one, today).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem.unwrap().id), ("members", MessageId::ProceedingsTeamNeedsTwoStates));
        let mut bad = input();
        bad.starts_on = "2026-01-01".into();
        assert_eq!(JointTeam::set_up("t".into(), &bad, today).unwrap_err().field, "starts_on");
        let mut bad = input();
        bad.members[1].country = "XX".into();
        assert_eq!(JointTeam::set_up("t".into(), &bad, today).unwrap_err().field, "members[1].country");
        let done = team.conclude("prosecutions", "2026-05-01", "Four charged in two countries.", today).unwrap();
        assert_eq!(done.outcome, Some(TeamOutcome::Prosecutions));
        assert_eq!(done.conclude("ended_early", "2026-05-02", "x", today).unwrap_err().field, "outcome");
    }
}
