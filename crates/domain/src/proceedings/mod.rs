//! Criminal proceedings against traffickers: investigations, suspects, charges, prosecution
//! decisions, judgments and appeals, in the proceedings compartment of their own
//! ([`crate::access::Compartment::Proceedings`]).
//!
//! The rules of EU and Convention law are code here, each with its article:
//! - an investigation is opened ex officio or on a report, and never depends on the victim's
//!   report: it goes on when the victim withdraws, and no ground of closure is the withdrawal
//!   (Dir 2011/36 Art 9(1); CETS 197 Art 27(1));
//! - the offences are those of Dir 2011/36 Art 2 (with its forms of exploitation), Art 3
//!   (incitement, aiding and abetting, attempt) and Art 18a (knowingly using services exploited
//!   from a victim, since Directive (EU) 2024/1712);
//! - victims are linked to an investigation by the id of their case in identification, never by
//!   a copy of it;
//! - charges record the aggravating circumstances of Dir 2011/36 Art 4(2) and 4(3), and the
//!   national maximum penalties are checked against the floors of Art 4(1) and 4(2)
//!   ([`penalty`]), as a warning;
//! - a person identified or presumed as a victim who becomes a suspect raises the
//!   non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26) on every path, and the
//!   prosecutor records a decision on it before deciding to prosecute ([`non_punishment`]).
//!
//! National practice (maximum penalties, whether confiscated proceeds may pay compensation) is
//! data with its source: [`penalty::NationalPractice`].

pub mod assets;
pub mod charge;
pub mod europol;
pub mod financial;
pub mod information;
pub mod jit;
pub mod limitation;
pub mod non_punishment;
pub mod penalty;
pub mod protection;
pub mod representation;
pub mod suspect;
pub mod training;

use crate::ident::forms::FormId;
use crate::text::{Narrative, parse_line};
use crate::{Coded, CountryCode, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// Dir 2011/36 Art 9(1): investigation or prosecution is not dependent on a report or
/// accusation by a victim, and proceedings may continue even if the victim withdraws.
pub const NO_DEPENDENCE_ON_REPORT: &str = "Dir 2011/36 Art 9(1)";

/// At most this many offences, places or linked victims on one investigation.
pub const MAX_ITEMS: usize = 50;

coded_enum! {
    /// How an investigation came to be opened.
    pub enum Opening {
        /// On the authorities' own motion (intelligence, an inspection, identification).
        ExOfficio => "ex_officio",
        /// On a report or complaint (by the victim or anybody else).
        Report => "report",
    }
}

coded_enum! {
    /// Who made the report an investigation was opened on.
    pub enum Reporter {
        Victim => "victim",
        /// A relative, a witness, an NGO, an employer, anybody else.
        ThirdParty => "third_party",
        /// Another authority (labour inspectorate, border guard, a referral mechanism).
        Authority => "authority",
        Anonymous => "anonymous",
    }
}

coded_enum! {
    /// The offences of the Directive an investigation concerns.
    pub enum OffenceKind {
        /// Trafficking in human beings (Dir 2011/36 Art 2; CETS 197 Art 4).
        Trafficking => "trafficking",
        /// Incitement to an Art 2 offence (Dir 2011/36 Art 3).
        Incitement => "incitement",
        /// Aiding and abetting an Art 2 offence (Dir 2011/36 Art 3).
        AidingAndAbetting => "aiding_abetting",
        /// Attempt of an Art 2 offence (Dir 2011/36 Art 3).
        Attempt => "attempt",
        /// Knowingly using services exploited from a victim (Dir 2011/36 Art 18a, as inserted
        /// by Directive (EU) 2024/1712; CETS 197 Art 19).
        UseOfServices => "use_of_services",
    }
}

impl OffenceKind {
    /// The article that makes it an offence.
    pub fn article(self) -> &'static str {
        match self {
            Self::Trafficking => "Dir 2011/36 Art 2",
            Self::Incitement | Self::AidingAndAbetting | Self::Attempt => "Dir 2011/36 Art 3",
            Self::UseOfServices => "Dir 2011/36 Art 18a",
        }
    }

    /// Whether the penalty floors of Dir 2011/36 Art 4(1) and 4(2) apply (Art 2 offences);
    /// Art 3 offences carry "effective, proportionate and dissuasive" penalties (Art 4(4)), and
    /// Art 18a its own.
    pub fn has_penalty_floor(self) -> bool {
        self == Self::Trafficking
    }
}

/// An offence under investigation: its kind, the forms of exploitation (Dir 2011/36 Art 2(3))
/// and the provision of national law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offence {
    pub kind: OffenceKind,
    /// Forms of exploitation of the reference catalogue; at least one.
    pub forms: Vec<FormId>,
    /// The national provision, e.g. "Criminal Law s. 154.1(2)".
    pub national_provision: String,
}

impl Offence {
    pub fn parse(kind: &str, forms: &[&str], national_provision: &str) -> Result<Self, ParseError> {
        let kind = OffenceKind::parse_code("offence", kind)?;
        let mut parsed = Vec::new();
        for form in forms.iter().filter(|f| !f.trim().is_empty()) {
            let form = FormId::parse("forms", form.trim())?;
            if !parsed.contains(&form) {
                parsed.push(form);
            }
        }
        if parsed.is_empty() {
            return Err(ParseError::said(
                "forms",
                "an offence names at least one form of exploitation (Dir 2011/36 Art 2(3))",
                Message::new(MessageId::ProceedingsOffenceNeedsForm),
            ));
        }
        if parsed.len() > MAX_ITEMS {
            return Err(ParseError::too_long("forms", MAX_ITEMS));
        }
        Ok(Self { kind, forms: parsed, national_provision: parse_line("national_provision", national_provision, 200)? })
    }
}

/// A place where acts of the offences happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub country: CountryCode,
    /// Town, region or address as far as known; empty when only the country is.
    pub locality: String,
}

impl Place {
    pub fn parse(country: &str, locality: &str) -> Result<Self, ParseError> {
        let country = CountryCode::parse("place_country", country)?;
        let locality =
            if locality.trim().is_empty() { String::new() } else { parse_line("place_locality", locality, 200)? };
        Ok(Self { country, locality })
    }
}

/// The report an investigation was opened on. Its withdrawal is recorded and changes nothing
/// else (Dir 2011/36 Art 9(1)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub reporter: Reporter,
    pub reported_on: CalendarDate,
    /// When the reporter withdrew the report or the victim the statement, if they did.
    pub withdrawn_on: Option<CalendarDate>,
}

coded_enum! {
    /// Where an investigation stands.
    pub enum InvestigationStatus {
        Open => "open",
        /// Waiting (a suspect not found, a request abroad unanswered); resumes.
        Suspended => "suspended",
        /// Sent to the prosecutor to decide on prosecution.
        WithProsecutor => "with_prosecutor",
        /// Closed, with its ground.
        Closed => "closed",
    }
}

impl InvestigationStatus {
    /// The statuses it may go to next. A closed investigation is reopened by a new decision
    /// (new facts), which returns it to open.
    pub fn next(self) -> &'static [InvestigationStatus] {
        use InvestigationStatus::*;
        match self {
            Open => &[Suspended, WithProsecutor, Closed],
            Suspended => &[Open, Closed],
            WithProsecutor => &[Open, Closed],
            Closed => &[Open],
        }
    }
}

coded_enum! {
    /// Why an investigation is closed. Deliberately without the victim's withdrawal or silence
    /// (Dir 2011/36 Art 9(1)): see [`ClosureGround::parse`].
    pub enum ClosureGround {
        /// No offence was committed.
        NoOffence => "no_offence",
        /// The evidence does not suffice, whatever the victim's part in it.
        InsufficientEvidence => "insufficient_evidence",
        /// The offender was not found or identified.
        OffenderUnknown => "offender_unknown",
        /// The suspect died.
        SuspectDeceased => "suspect_deceased",
        /// The limitation period ran out.
        Limitation => "limitation",
        /// Joined to another investigation.
        JoinedToAnother => "joined_to_another",
        /// Transferred to another country's authorities.
        TransferredAbroad => "transferred_abroad",
        /// Every suspect's case was decided by the prosecutor or the court.
        Concluded => "concluded",
    }
}

/// Codes that would close an investigation on the victim's withdrawal or silence. Refused with
/// the article named, rather than merely unknown.
const GROUNDS_REFUSED_BY_ART_9_1: &[&str] =
    &["victim_withdrew", "report_withdrawn", "complaint_withdrawn", "no_victim_statement", "victim_declined"];

impl ClosureGround {
    /// Parses a ground of closure; the victim's withdrawal is refused by name.
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        if GROUNDS_REFUSED_BY_ART_9_1.contains(&value.trim()) {
            return Err(ParseError::said(
                field,
                "an investigation is not closed because the victim withdrew or gave no report or statement \
                 (Dir 2011/36 Art 9(1))",
                Message::new(MessageId::ProceedingsClosureNotOnWithdrawal),
            ));
        }
        Self::parse_code(field, value)
    }
}

/// A victim linked to the investigation: the id of their case in identification, never a copy
/// of it. What the investigation holds of the person is read from the case, under the case's
/// own authorisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VictimLink {
    pub case_id: String,
    pub linked_on: CalendarDate,
}

/// An investigation, as opened and as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Investigation {
    pub id: String,
    pub country: CountryCode,
    /// The unit's file number.
    pub reference: String,
    /// The investigating unit (an organisation of police or another law-enforcement kind).
    pub unit_organisation_id: String,
    /// The competent prosecutor's office, once known.
    pub prosecutor_organisation_id: Option<String>,
    pub opened_on: CalendarDate,
    pub opening: Opening,
    /// The report, when opened on one.
    pub report: Option<Report>,
    pub offences: Vec<Offence>,
    pub places: Vec<Place>,
    /// When the acts began and ended, as far as known.
    pub acts_from: Option<CalendarDate>,
    pub acts_until: Option<CalendarDate>,
    /// Other countries involved (cross-border links).
    pub other_countries: Vec<CountryCode>,
    pub status: InvestigationStatus,
    pub status_since: CalendarDate,
    pub closure: Option<ClosureGround>,
    pub victims: Vec<VictimLink>,
    /// What the investigation is about (encrypted at rest).
    pub summary: Narrative,
}

/// What opening an investigation asks for, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct InvestigationInput {
    pub reference: String,
    pub prosecutor_organisation_id: String,
    pub opened_on: String,
    pub opening: String,
    pub reporter: String,
    pub reported_on: String,
    pub offences: Vec<OffenceInput>,
    pub places: Vec<PlaceInput>,
    pub acts_from: String,
    pub acts_until: String,
    pub other_countries: Vec<String>,
    pub summary: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct OffenceInput {
    pub kind: String,
    pub forms: Vec<String>,
    pub national_provision: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PlaceInput {
    pub country: String,
    pub locality: String,
}

fn optional_date(field: &str, value: &str) -> Result<Option<CalendarDate>, ParseError> {
    if value.trim().is_empty() { Ok(None) } else { CalendarDate::parse(field, value.trim()).map(Some) }
}

/// A date on or before `today`.
pub(crate) fn past_date(field: &str, value: &str, today: CalendarDate) -> Result<CalendarDate, ParseError> {
    let date = CalendarDate::parse(field, value.trim())?;
    if date > today {
        return Err(ParseError::in_future(field, date, today));
    }
    Ok(date)
}

/// `date` must not lie before `earliest` (what it follows, named in the message).
pub(crate) fn not_before(field: &str, date: CalendarDate, earliest: CalendarDate) -> Result<(), ParseError> {
    if date < earliest {
        return Err(ParseError::said(
            field,
            format!("must not be before {earliest}"),
            Message::new(MessageId::ProceedingsNotBefore).with("date", earliest),
        ));
    }
    Ok(())
}

impl Investigation {
    /// Opens an investigation of `country` by the unit `unit_organisation_id`. Opened ex officio
    /// it has no report; opened on a report it names who reported and when. Neither way does it
    /// depend on the victim (Dir 2011/36 Art 9(1)).
    pub fn open(
        id: String,
        country: CountryCode,
        unit_organisation_id: String,
        input: &InvestigationInput,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let reference = parse_line("reference", &input.reference, 100)?;
        let opened_on = past_date("opened_on", &input.opened_on, today)?;
        let opening = Opening::parse_code("opening", input.opening.trim())?;
        let report = match opening {
            Opening::ExOfficio => {
                if !input.reporter.trim().is_empty() || !input.reported_on.trim().is_empty() {
                    return Err(ParseError::said(
                        "reporter",
                        "an investigation opened ex officio has no report",
                        Message::new(MessageId::ProceedingsNoReportExOfficio),
                    ));
                }
                None
            }
            Opening::Report => {
                if input.reporter.trim().is_empty() {
                    return Err(ParseError::said(
                        "reporter",
                        "an investigation opened on a report names who reported",
                        Message::new(MessageId::ProceedingsReportNeeded),
                    ));
                }
                let reporter = Reporter::parse_code("reporter", input.reporter.trim())?;
                let reported_on = past_date("reported_on", &input.reported_on, today)?;
                not_before("opened_on", opened_on, reported_on)?;
                Some(Report { reporter, reported_on, withdrawn_on: None })
            }
        };
        if input.offences.is_empty() {
            return Err(ParseError::said(
                "offences",
                "an investigation concerns at least one offence",
                Message::new(MessageId::ProceedingsNoOffence),
            ));
        }
        if input.offences.len() > MAX_ITEMS || input.places.len() > MAX_ITEMS {
            return Err(ParseError::too_long("offences", MAX_ITEMS));
        }
        let mut offences = Vec::new();
        for (i, o) in input.offences.iter().enumerate() {
            let forms: Vec<&str> = o.forms.iter().map(String::as_str).collect();
            offences.push(
                Offence::parse(&o.kind, &forms, &o.national_provision)
                    .map_err(|e| ParseError { field: format!("offences[{i}].{}", e.field), ..e })?,
            );
        }
        let mut places = Vec::new();
        for (i, p) in input.places.iter().enumerate() {
            places.push(
                Place::parse(&p.country, &p.locality)
                    .map_err(|e| ParseError { field: format!("places[{i}].{}", e.field), ..e })?,
            );
        }
        let acts_from = optional_date("acts_from", &input.acts_from)?;
        let acts_until = optional_date("acts_until", &input.acts_until)?;
        if let (Some(from), Some(until)) = (acts_from, acts_until) {
            not_before("acts_until", until, from)?;
        }
        for (field, date) in [("acts_from", acts_from), ("acts_until", acts_until)] {
            if let Some(d) = date
                && d > today
            {
                return Err(ParseError::in_future(field, d, today));
            }
        }
        let mut other_countries = Vec::new();
        for c in input.other_countries.iter().filter(|c| !c.trim().is_empty()) {
            let c = CountryCode::parse("other_countries", c)?;
            if c != country && !other_countries.contains(&c) {
                other_countries.push(c);
            }
        }
        let prosecutor_organisation_id = if input.prosecutor_organisation_id.trim().is_empty() {
            None
        } else {
            Some(parse_line("prosecutor_organisation_id", &input.prosecutor_organisation_id, 100)?)
        };
        Ok(Self {
            id,
            country,
            reference,
            unit_organisation_id,
            prosecutor_organisation_id,
            opened_on,
            opening,
            report,
            offences,
            places,
            acts_from,
            acts_until,
            other_countries,
            status: InvestigationStatus::Open,
            status_since: opened_on,
            closure: None,
            victims: Vec::new(),
            summary: Narrative::parse("summary", &input.summary)?,
        })
    }

    /// The reporter withdraws the report, or the victim the statement. It is recorded, and the
    /// investigation goes on as it was (Dir 2011/36 Art 9(1)): the status does not change. The
    /// message says so to whoever records it.
    pub fn record_withdrawal(&mut self, on: CalendarDate) -> Result<Message, ParseError> {
        let opened_on = self.opened_on;
        let report = self.report.as_mut().ok_or_else(|| {
            ParseError::said(
                "withdrawn_on",
                "the investigation was opened ex officio: there is no report to withdraw",
                Message::new(MessageId::ProceedingsNoReportExOfficio),
            )
        })?;
        not_before("withdrawn_on", on, report.reported_on.max(opened_on))?;
        report.withdrawn_on = Some(on);
        Ok(Message::new(MessageId::ProceedingsReportWithdrawnGoesOn)
            .with("date", on)
            .with("article", NO_DEPENDENCE_ON_REPORT))
    }

    /// Moves the investigation to `to` on `on`, a closure with its ground.
    pub fn change_status(
        &mut self,
        to: InvestigationStatus,
        ground: Option<ClosureGround>,
        on: CalendarDate,
    ) -> Result<(), ParseError> {
        if !self.status.next().contains(&to) {
            return Err(ParseError::said(
                "status",
                format!("an investigation {} does not go to {}", self.status, to),
                Message::new(MessageId::ProceedingsStatusChangeRefused)
                    .labels("from", "investigation-status", [self.status.code()])
                    .labels("to", "investigation-status", [to.code()]),
            ));
        }
        not_before("status_since", on, self.status_since)?;
        match (to, ground) {
            (InvestigationStatus::Closed, None) => {
                return Err(ParseError::said(
                    "closure",
                    "a closed investigation names its ground",
                    Message::new(MessageId::ProceedingsClosureNeedsGround),
                ));
            }
            (InvestigationStatus::Closed, Some(g)) => self.closure = Some(g),
            _ => self.closure = None,
        }
        self.status = to;
        self.status_since = on;
        Ok(())
    }

    /// Links the victim whose case in identification is `case_id` (whether the acting user may
    /// is asked of the access module first: the case's proceedings part, written).
    pub fn link_victim(&mut self, case_id: &str, on: CalendarDate) -> Result<(), ParseError> {
        let case_id = parse_line("case_id", case_id, 100)?;
        if self.victims.iter().any(|v| v.case_id == case_id) {
            return Err(ParseError::said(
                "case_id",
                "this case is already linked to the investigation",
                Message::new(MessageId::ProceedingsVictimAlreadyLinked),
            ));
        }
        if self.victims.len() >= MAX_ITEMS {
            return Err(ParseError::too_long("case_id", MAX_ITEMS));
        }
        not_before("linked_on", on, self.opened_on)?;
        self.victims.push(VictimLink { case_id, linked_on: on });
        Ok(())
    }

    /// Whether it concerns an offence of `kind`.
    pub fn concerns(&self, kind: OffenceKind) -> bool {
        self.offences.iter().any(|o| o.kind == kind)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    pub(crate) fn lv() -> CountryCode {
        CountryCode::parse("c", "LV").unwrap()
    }

    pub(crate) fn input(opening: &str) -> InvestigationInput {
        InvestigationInput {
            reference: "11816000123".into(),
            prosecutor_organisation_id: "prosecution".into(),
            opened_on: "2026-03-02".into(),
            opening: opening.into(),
            reporter: if opening == "report" { "victim".into() } else { String::new() },
            reported_on: if opening == "report" { "2026-03-01".into() } else { String::new() },
            offences: vec![OffenceInput {
                kind: "trafficking".into(),
                forms: vec!["forced_labour".into()],
                national_provision: "Criminal Law s. 154.1(2)".into(),
            }],
            places: vec![PlaceInput { country: "LV".into(), locality: "Riga".into() }],
            acts_from: "2025-06-01".into(),
            acts_until: "2026-02-20".into(),
            other_countries: vec!["EE".into(), "LV".into()],
            summary: "Workers recruited for a construction site, documents taken.".into(),
        }
    }

    pub(crate) fn investigation(opening: &str) -> Investigation {
        Investigation::open("inv-1".into(), lv(), "police".into(), &input(opening), date("2026-03-10")).unwrap()
    }

    #[test]
    fn art_9_1_dir_an_investigation_is_opened_ex_officio_without_any_report() {
        let inv = investigation("ex_officio");
        assert_eq!(inv.opening, Opening::ExOfficio);
        assert_eq!(inv.report, None);
        assert_eq!(inv.status, InvestigationStatus::Open);
        assert_eq!(inv.other_countries, vec![CountryCode::parse("c", "EE").unwrap()], "its own country is not a link");
        // A report given with an ex officio opening is a contradiction, not silently dropped.
        let mut with_report = input("ex_officio");
        with_report.reporter = "victim".into();
        let e = Investigation::open("i".into(), lv(), "police".into(), &with_report, date("2026-03-10")).unwrap_err();
        assert_eq!(e.field, "reporter");
    }

    #[test]
    fn art_9_1_dir_the_investigation_goes_on_when_the_victim_withdraws() {
        let mut inv = investigation("report");
        let said = inv.record_withdrawal(date("2026-04-01")).unwrap();
        assert_eq!(said.id, MessageId::ProceedingsReportWithdrawnGoesOn);
        assert_eq!(inv.status, InvestigationStatus::Open, "the withdrawal changes nothing");
        assert_eq!(inv.report.as_ref().and_then(|r| r.withdrawn_on), Some(date("2026-04-01")));
        // It still goes on to the prosecutor.
        inv.change_status(InvestigationStatus::WithProsecutor, None, date("2026-05-01")).unwrap();
        assert_eq!(inv.status, InvestigationStatus::WithProsecutor);
        // Ex officio: nothing to withdraw.
        assert!(investigation("ex_officio").record_withdrawal(date("2026-04-01")).is_err());
    }

    #[test]
    fn art_9_1_dir_no_ground_of_closure_is_the_victims_withdrawal() {
        for code in GROUNDS_REFUSED_BY_ART_9_1 {
            let e = ClosureGround::parse("closure", code).unwrap_err();
            assert_eq!(e.problem.unwrap().id, MessageId::ProceedingsClosureNotOnWithdrawal, "{code}");
        }
        // No listed ground speaks of the victim at all.
        assert!(ClosureGround::ALL.iter().all(|g| !g.code().contains("victim") && !g.code().contains("withdr")));
        let mut inv = investigation("report");
        let e = inv.change_status(InvestigationStatus::Closed, None, date("2026-04-01")).unwrap_err();
        assert_eq!(e.field, "closure");
        inv.change_status(InvestigationStatus::Closed, Some(ClosureGround::InsufficientEvidence), date("2026-04-01"))
            .unwrap();
        inv.change_status(InvestigationStatus::Open, None, date("2026-05-01")).unwrap();
        assert_eq!(inv.closure, None, "reopened");
    }

    #[test]
    fn an_investigation_on_a_report_names_who_reported_and_when() {
        let mut i = input("report");
        i.reporter = String::new();
        let e = Investigation::open("i".into(), lv(), "police".into(), &i, date("2026-03-10")).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem.unwrap().id), ("reporter", MessageId::ProceedingsReportNeeded));
        let mut i = input("report");
        i.reported_on = "2026-03-05".into();
        let e = Investigation::open("i".into(), lv(), "police".into(), &i, date("2026-03-10")).unwrap_err();
        assert_eq!(e.field, "opened_on", "opened before it was reported");
    }

    #[test]
    fn art_2_dir_offences_name_their_forms_and_bad_input_names_its_field() {
        let inv = investigation("ex_officio");
        assert!(inv.concerns(OffenceKind::Trafficking) && !inv.concerns(OffenceKind::UseOfServices));
        let mut i = input("ex_officio");
        i.offences[0].forms.clear();
        let e = Investigation::open("i".into(), lv(), "police".into(), &i, date("2026-03-10")).unwrap_err();
        assert_eq!(e.field, "offences[0].forms");
        i.offences[0].forms = vec!["forced_labour".into()];
        i.offences[0].kind = "smuggling".into();
        let e = Investigation::open("i".into(), lv(), "police".into(), &i, date("2026-03-10")).unwrap_err();
        assert_eq!(e.field, "offences[0].offence");
        let mut i = input("ex_officio");
        i.offences.clear();
        let e = Investigation::open("i".into(), lv(), "police".into(), &i, date("2026-03-10")).unwrap_err();
        assert_eq!(e.field, "offences");
        let mut i = input("ex_officio");
        i.places[0].country = "XX".into();
        let e = Investigation::open("i".into(), lv(), "police".into(), &i, date("2026-03-10")).unwrap_err();
        assert_eq!(e.field, "places[0].place_country");
        let mut i = input("ex_officio");
        i.acts_until = "2025-01-01".into();
        let e = Investigation::open("i".into(), lv(), "police".into(), &i, date("2026-03-10")).unwrap_err();
        assert_eq!(e.field, "acts_until");
    }

    #[test]
    fn art_3_and_art_18a_dir_incitement_aiding_attempt_and_the_users_offence_are_offences() {
        assert_eq!(OffenceKind::Attempt.article(), "Dir 2011/36 Art 3");
        assert_eq!(OffenceKind::UseOfServices.article(), "Dir 2011/36 Art 18a");
        assert!(OffenceKind::Trafficking.has_penalty_floor());
        assert!(!OffenceKind::UseOfServices.has_penalty_floor());
        let o = Offence::parse("use_of_services", &["sexual"], "Criminal Law s. 164.1").unwrap();
        assert_eq!(o.kind, OffenceKind::UseOfServices);
    }

    #[test]
    fn a_victim_is_linked_by_the_case_id_once() {
        let mut inv = investigation("ex_officio");
        inv.link_victim("case-7", date("2026-03-12")).unwrap();
        assert_eq!(inv.victims, vec![VictimLink { case_id: "case-7".into(), linked_on: date("2026-03-12") }]);
        let e = inv.link_victim("case-7", date("2026-03-13")).unwrap_err();
        assert_eq!(e.problem.unwrap().id, MessageId::ProceedingsVictimAlreadyLinked);
        assert!(inv.link_victim("case-8", date("2026-03-01")).is_err(), "before it was opened");
    }

    #[test]
    fn status_changes_follow_the_table() {
        let mut inv = investigation("ex_officio");
        assert!(inv.change_status(InvestigationStatus::Open, None, date("2026-03-11")).is_err());
        inv.change_status(InvestigationStatus::Suspended, None, date("2026-03-11")).unwrap();
        assert!(inv.change_status(InvestigationStatus::WithProsecutor, None, date("2026-03-12")).is_err());
        assert!(inv.change_status(InvestigationStatus::Open, None, date("2026-03-10")).is_err(), "backwards");
    }
}
