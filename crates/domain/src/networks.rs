//! Networks and platforms of the coordination against trafficking (docs/monitoring.md,
//! "Networks"): the EU Network of National Rapporteurs or Equivalent Mechanisms (Dir 2011/36
//! Art 19 and recital 27), the EU Civil Society Platform against trafficking, the European
//! Business Coalition against trafficking, and a country's own coordination mechanisms. A network
//! has members (organisations, not persons), contacts (persons: name and e-mail, kept encrypted by
//! the use cases, each with the purpose it is kept for and the day it is kept until), and
//! meetings with their agenda, minutes and the actions arising from them.
//!
//! Personal data are kept for a purpose and no longer (Reg 2016/679 Art 5(1)(b) and (e)): a contact names
//! its purpose and the day it is kept until ([`Contact::parse`]), at most
//! [`MAX_CONTACT_RETENTION_DAYS`] ahead; from the day after, it is past its retention
//! ([`is_past_retention`]), no longer shown, and the sweep deletes it.

use crate::case::CalendarDate;
use crate::text::parse_line;
use crate::{Coded, Jurisdiction, Message, MessageId, ParseError, coded_enum};
use serde::{Deserialize, Serialize};

/// The longest a contact is kept from the day it is recorded or its retention renewed (three
/// years, a network's usual mandate). Longer is refused naming `retain_until`.
pub const MAX_CONTACT_RETENTION_DAYS: i64 = 3 * 366;
/// The most members a network lists.
pub const MAX_MEMBERS: usize = 200;
/// The most actions arising one meeting records.
pub const MAX_ACTIONS: usize = 100;

coded_enum! {
    /// What a network is.
    pub enum NetworkKind {
        /// The EU Network of National Rapporteurs or Equivalent Mechanisms (Dir 2011/36 Art 19,
        /// recital 27), chaired by the EU Anti-Trafficking Coordinator.
        RapporteursNetwork => "rapporteurs_network",
        /// The EU Civil Society Platform against trafficking in human beings.
        CivilSocietyPlatform => "civil_society_platform",
        /// The European Business Coalition against trafficking in human beings.
        BusinessCoalition => "business_coalition",
        /// A country's own coordination mechanism (a working group, a round table).
        NationalMechanism => "national_mechanism",
    }
}

coded_enum! {
    /// Where an action arising from a meeting stands.
    pub enum ArisingStatus {
        Open => "open",
        Done => "done",
        /// No longer pursued: neither done nor overdue.
        Dropped => "dropped",
    }
}

/// A member of a network: an organisation (or a country's mechanism), never a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The member's country, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Jurisdiction>,
    pub organisation: String,
}

/// A network or platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    pub id: String,
    /// Whose it is: the EU level's networks, or a country's mechanism.
    pub scope: Jurisdiction,
    pub kind: NetworkKind,
    pub name: String,
    pub members: Vec<Member>,
}

/// A network as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct NetworkInput {
    pub kind: String,
    pub name: String,
    /// One member a line: an organisation, optionally after its country code and a colon
    /// (`LV: Ministry of the Interior`).
    pub members: String,
}

/// Parses the members typed one a line.
pub fn parse_members(field: &str, value: &str) -> Result<Vec<Member>, ParseError> {
    let mut out: Vec<Member> = Vec::new();
    for line in value.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (country, organisation) = match line.split_once(':') {
            Some((code, rest)) if code.trim().len() <= 2 => (Some(Jurisdiction::parse(field, code.trim())?), rest),
            _ => (None, line),
        };
        let organisation = parse_line(field, organisation, 300)?;
        if out.iter().any(|m| m.country == country && m.organisation == organisation) {
            continue;
        }
        out.push(Member { country, organisation });
    }
    if out.len() > MAX_MEMBERS {
        return Err(ParseError::said(
            field,
            format!("at most {MAX_MEMBERS} members"),
            Message::new(MessageId::StrategyTooMany),
        ));
    }
    Ok(out)
}

impl Network {
    /// Parses a network of `scope`.
    pub fn parse(id: String, scope: Jurisdiction, input: &NetworkInput) -> Result<Self, ParseError> {
        let kind = NetworkKind::parse_code("kind", input.kind.trim())?;
        let eu_kind = !matches!(kind, NetworkKind::NationalMechanism);
        if eu_kind != (scope == Jurisdiction::EuropeanUnion) {
            return Err(ParseError::said(
                "kind",
                "the EU's networks are the EU level's, a national mechanism a country's",
                Message::new(MessageId::NetworkKindOfScope),
            ));
        }
        let name = parse_line("name", &input.name, 300)?;
        let members = parse_members("members", &input.members)?;
        Ok(Self { id, scope, kind, name, members })
    }
}

/// A contact person of a network, as the use cases hold it in the clear (name and e-mail are
/// encrypted at rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: String,
    /// The organisation the person speaks for (not personal data).
    pub organisation: String,
    /// Why the contact is kept (Reg 2016/679 Art 5(1)(b)).
    pub purpose: String,
    /// The last day it is kept (Reg 2016/679 Art 5(1)(e)).
    pub retain_until: CalendarDate,
}

/// A contact as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub purpose: String,
    pub retain_until: String,
}

/// Whether a contact kept until `retain_until` is past its retention on `today`: it is kept
/// through that day and past it from the next.
pub fn is_past_retention(retain_until: CalendarDate, today: CalendarDate) -> bool {
    retain_until < today
}

impl Contact {
    /// Parses a contact recorded on `today`: its retention at least today and at most
    /// [`MAX_CONTACT_RETENTION_DAYS`] ahead.
    pub fn parse(input: &ContactInput, today: CalendarDate) -> Result<Self, ParseError> {
        let name = parse_line("name", &input.name, 200)?;
        let email = crate::assist::directory::parse_email("email", &input.email)?;
        let organisation = parse_line("organisation", &input.organisation, 300)?;
        let purpose = parse_line("purpose", &input.purpose, 500)?;
        let retain_until = CalendarDate::parse("retain_until", input.retain_until.trim())?;
        let latest = today.add_days(MAX_CONTACT_RETENTION_DAYS).unwrap_or(today);
        if retain_until < today || retain_until > latest {
            return Err(ParseError::said(
                "retain_until",
                format!("a contact is kept from {today} to at most {latest}"),
                Message::new(MessageId::NetworkRetention).with("from", today).with("until", latest),
            ));
        }
        Ok(Self { name, email, organisation, purpose, retain_until })
    }
}

/// An action arising from a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionArising {
    /// Its number within the meeting (1, 2, …).
    pub number: u32,
    pub text: String,
    /// Who carries it out (a member, the secretariat, the coordinator).
    pub owner: String,
    pub due_on: CalendarDate,
    pub status: ArisingStatus,
}

/// Whether an action arising is overdue on `today`: open and past its due day (due on it,
/// overdue from the next).
pub fn is_arising_overdue(action: &ActionArising, today: CalendarDate) -> bool {
    action.status == ArisingStatus::Open && action.due_on < today
}

/// A meeting of a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: String,
    pub network_id: String,
    pub held_on: CalendarDate,
    pub title: String,
    pub place: String,
    /// One item a line.
    pub agenda: Vec<String>,
    /// What was said and decided (free text; no personal data beyond the members' names).
    pub minutes: String,
    pub actions: Vec<ActionArising>,
}

/// A meeting as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct MeetingInput {
    pub held_on: String,
    pub title: String,
    pub place: String,
    /// One item a line.
    pub agenda: String,
    pub minutes: String,
}

/// An action arising as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ArisingInput {
    pub text: String,
    pub owner: String,
    pub due_on: String,
}

/// A change of an action arising's status as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ArisingStatusInput {
    pub number: String,
    pub status: String,
}

impl Meeting {
    pub fn parse(id: String, network_id: String, input: &MeetingInput) -> Result<Self, ParseError> {
        let held_on = CalendarDate::parse("held_on", input.held_on.trim())?;
        let title = parse_line("title", &input.title, 300)?;
        let place = parse_line("place", &input.place, 200)?;
        let mut agenda = Vec::new();
        for line in input.agenda.lines().map(str::trim).filter(|l| !l.is_empty()) {
            agenda.push(parse_line("agenda", line, 500)?);
        }
        if agenda.is_empty() {
            return Err(ParseError::empty("agenda"));
        }
        let minutes = input.minutes.trim();
        let minutes = if minutes.is_empty() {
            String::new()
        } else {
            crate::text::Narrative::parse("minutes", minutes)?.as_str().to_owned()
        };
        Ok(Self { id, network_id, held_on, title, place, agenda, minutes, actions: Vec::new() })
    }

    /// Adds an action arising, due not before the meeting; returns its number.
    pub fn add_action(&mut self, input: &ArisingInput) -> Result<u32, ParseError> {
        let text = parse_line("text", &input.text, 1_000)?;
        let owner = parse_line("owner", &input.owner, 200)?;
        let due_on = CalendarDate::parse("due_on", input.due_on.trim())?;
        if due_on < self.held_on {
            return Err(ParseError::said(
                "due_on",
                format!("must not be before {}", self.held_on),
                Message::new(MessageId::StrategyNotBefore).with("date", self.held_on),
            ));
        }
        if self.actions.len() >= MAX_ACTIONS {
            return Err(ParseError::said(
                "text",
                format!("at most {MAX_ACTIONS} actions"),
                Message::new(MessageId::StrategyTooMany),
            ));
        }
        let number = self.actions.iter().map(|a| a.number).max().unwrap_or(0) + 1;
        self.actions.push(ActionArising { number, text, owner, due_on, status: ArisingStatus::Open });
        Ok(number)
    }

    /// Sets the status of an action arising; returns the status it had.
    pub fn set_status(&mut self, input: &ArisingStatusInput) -> Result<ArisingStatus, ParseError> {
        let status = ArisingStatus::parse_code("status", input.status.trim())?;
        let number = input.number.trim();
        let found = number.parse::<u32>().ok().and_then(|n| self.actions.iter_mut().find(|a| a.number == n));
        let Some(action) = found else {
            return Err(if number.is_empty() {
                ParseError::empty("number")
            } else {
                ParseError::said(
                    "number",
                    format!("the meeting has no action {number}"),
                    Message::new(MessageId::UnknownValue).with("value", number),
                )
            });
        };
        let before = action.status;
        action.status = status;
        Ok(before)
    }

    /// The actions arising overdue on `today`.
    pub fn overdue(&self, today: CalendarDate) -> impl Iterator<Item = &ActionArising> {
        self.actions.iter().filter(move |a| is_arising_overdue(a, today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn lv() -> Jurisdiction {
        Jurisdiction::parse("c", "LV").unwrap()
    }

    #[test]
    fn dir_2011_36_art_19_the_eu_networks_are_the_eu_levels_and_a_mechanism_a_countrys() {
        let input = NetworkInput {
            kind: "rapporteurs_network".into(),
            name: "EU Network of National Rapporteurs or Equivalent Mechanisms".into(),
            members: "LV: Ministry of the Interior\nEE: Ministry of Justice\n\nEuropean Commission\nLV: Ministry of the Interior"
                .into(),
        };
        let network = Network::parse("n".into(), Jurisdiction::EuropeanUnion, &input).unwrap();
        assert_eq!(network.members.len(), 3, "the repeated member once");
        assert_eq!(network.members[0].country, Some(lv()));
        assert_eq!(network.members[2].country, None);
        assert_eq!(Network::parse("n".into(), lv(), &input).unwrap_err().field, "kind");
        let national = NetworkInput { kind: "national_mechanism".into(), ..input.clone() };
        assert!(Network::parse("n".into(), lv(), &national).is_ok());
        assert_eq!(Network::parse("n".into(), Jurisdiction::EuropeanUnion, &national).unwrap_err().field, "kind");
        let bad_country = NetworkInput { members: "XX: Nobody".into(), ..input.clone() };
        assert_eq!(Network::parse("n".into(), Jurisdiction::EuropeanUnion, &bad_country).unwrap_err().field, "members");
        let no_kind = NetworkInput { kind: "club".into(), ..input };
        assert_eq!(Network::parse("n".into(), Jurisdiction::EuropeanUnion, &no_kind).unwrap_err().field, "kind");
    }

    #[test]
    fn a_contact_names_its_purpose_and_is_kept_at_most_three_years() {
        let today = date("2026-03-01");
        let input = ContactInput {
            name: "Anna Example".into(),
            email: "anna@example.org".into(),
            organisation: "Ministry of the Interior".into(),
            purpose: "Invitations to the network's meetings".into(),
            retain_until: "2027-12-31".into(),
        };
        let contact = Contact::parse(&input, today).unwrap();
        assert_eq!(contact.retain_until, date("2027-12-31"));
        let field = |i: ContactInput| Contact::parse(&i, today).unwrap_err().field;
        assert_eq!(field(ContactInput { purpose: " ".into(), ..input.clone() }), "purpose");
        assert_eq!(field(ContactInput { email: "anna at example".into(), ..input.clone() }), "email");
        assert_eq!(field(ContactInput { retain_until: "2026-02-28".into(), ..input.clone() }), "retain_until");
        assert_eq!(field(ContactInput { retain_until: "2030-01-01".into(), ..input.clone() }), "retain_until");
        assert_eq!(field(ContactInput { retain_until: String::new(), ..input.clone() }), "retain_until");
        assert!(Contact::parse(&ContactInput { retain_until: "2026-03-01".into(), ..input }, today).is_ok());
    }

    #[test]
    fn a_contact_is_kept_through_its_retention_day_and_past_it_from_the_next() {
        let until = date("2026-12-31");
        assert!(!is_past_retention(until, date("2026-06-01")));
        assert!(!is_past_retention(until, until));
        assert!(is_past_retention(until, date("2027-01-01")));
    }

    #[test]
    fn a_meetings_actions_arising_are_numbered_and_overdue_when_open_after_their_day() {
        let input = MeetingInput {
            held_on: "2026-02-10".into(),
            title: "Meeting of the network".into(),
            place: "Brussels".into(),
            agenda: "Opening\n\nNational reports\nAny other business".into(),
            minutes: "The members reported.\nThe next meeting in June.".into(),
        };
        let mut meeting = Meeting::parse("m".into(), "n".into(), &input).unwrap();
        assert_eq!(meeting.agenda.len(), 3);
        assert_eq!(
            Meeting::parse("m".into(), "n".into(), &MeetingInput { agenda: "\n".into(), ..input.clone() })
                .unwrap_err()
                .field,
            "agenda"
        );
        let add =
            |text: &str, due: &str| ArisingInput { text: text.into(), owner: "Secretariat".into(), due_on: due.into() };
        assert_eq!(meeting.add_action(&add("Circulate the minutes", "2026-02-28")).unwrap(), 1);
        assert_eq!(meeting.add_action(&add("Collect the reports", "2026-05-31")).unwrap(), 2);
        assert_eq!(meeting.add_action(&add("Before", "2026-02-09")).unwrap_err().field, "due_on");
        assert_eq!(meeting.overdue(date("2026-02-28")).count(), 0);
        assert_eq!(meeting.overdue(date("2026-03-01")).map(|a| a.number).collect::<Vec<_>>(), [1]);
        let before = meeting.set_status(&ArisingStatusInput { number: "1".into(), status: "done".into() }).unwrap();
        assert_eq!(before, ArisingStatus::Open);
        assert_eq!(meeting.overdue(date("2026-06-01")).map(|a| a.number).collect::<Vec<_>>(), [2]);
        meeting.set_status(&ArisingStatusInput { number: "2".into(), status: "dropped".into() }).unwrap();
        assert_eq!(meeting.overdue(date("2027-01-01")).count(), 0);
        let unknown = meeting.set_status(&ArisingStatusInput { number: "9".into(), status: "done".into() });
        assert_eq!(unknown.unwrap_err().field, "number");
        let bad = meeting.set_status(&ArisingStatusInput { number: "1".into(), status: "later".into() });
        assert_eq!(bad.unwrap_err().field, "status");
    }
}
