//! The transposition tracker: for each Member State and each article of a directive it must
//! transpose (Dir 2011/36 Art 22, by 6 April 2013; Dir 2024/1712, by 15 July 2026), the
//! national measures it notified, the Commission's assessment of them, the infringement steps
//! the Commission took, the deadline and how late the state is. The articles and deadlines are
//! the reference data of [`crate::instruments`]; the rules here compute from them and from the
//! day `today` passed in (no clock).
//!
//! - A national measure (title, reference, date notified, link) transposes some articles, or all
//!   of the directive's when it names none, completely or partly (the state's declaration).
//! - The Commission assesses an article of a state's transposition: conform, partial, or
//!   non-conformity found.
//! - An article's status on a day is the latest of these that day (an assessment counts after a
//!   measure of the same day): none, partial, complete, non-conformity found.
//! - A state notified complete transposition on the first day by which every article had a
//!   complete measure. Against its deadline (the directive's, or its accession if later) it
//!   notified on time, notified late (days late), is not notified yet and late (days late), or
//!   the deadline is still to come.
//! - Infringement steps follow the Treaty procedure: a letter of formal notice, a reasoned opinion,
//!   a referral to the Court, in that order, and closing at any point after the letter.

use crate::case::CalendarDate;
use crate::instruments::{Instrument, InstrumentKind, Instruments};
use crate::proceedings::{not_before, past_date};
use crate::text::parse_line;
use crate::{Coded, CountryCode, Message, MessageId, ParseError, coded_enum};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The months a Member State has to answer a letter of formal notice or a reasoned opinion:
/// the Commission's practice, not a rule of the Treaty (TFEU Art 258 sets no period), so a
/// dashboard date only (research/legal.md §7.1: the procedures themselves are U).
pub const REPLY_MONTHS: u32 = 2;

/// How far ahead the coordinator's dashboard looks for deadlines.
pub const DASHBOARD_DAYS: i64 = 90;

/// The longest title, reference or note kept.
const MAX_TEXT: usize = 500;
const MAX_NOTE: usize = 4000;

coded_enum! {
    /// Where a state's transposition of an article stands.
    pub enum TranspositionStatus {
        /// Nothing notified.
        NoMeasure => "none",
        Partial => "partial",
        Complete => "complete",
        /// The Commission found that the measures do not conform.
        NonConformity => "non_conformity",
    }
}

coded_enum! {
    /// What the Commission found when it assessed an article of a state's transposition.
    pub enum Finding {
        Conform => "conform",
        Partial => "partial",
        NonConformity => "non_conformity",
    }
}

coded_enum! {
    /// A step of an infringement procedure (TFEU Art 258, Art 260(3)), in the order it is taken.
    pub enum InfringementStage {
        FormalNotice => "letter_of_formal_notice",
        ReasonedOpinion => "reasoned_opinion",
        ReferralToCourt => "referral_to_court",
        Closed => "closed",
    }
}

coded_enum! {
    /// Why the Commission opened the procedure.
    pub enum InfringementGround {
        /// No (complete) notification of transposition measures.
        NonCommunication => "non_communication",
        NonConformity => "non_conformity",
    }
}

coded_enum! {
    /// Which kind of deadline the dashboard shows.
    pub enum DeadlineKind {
        Transposition => "transposition",
        ReplyToFormalNotice => "reply_to_formal_notice",
        ReplyToReasonedOpinion => "reply_to_reasoned_opinion",
    }
}

/// A national measure notified as transposing (some articles of) a directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalMeasure {
    pub id: String,
    pub country: CountryCode,
    pub instrument: Instrument,
    /// The articles it transposes (`11(4)`, `18a`: of [`Instruments::articles_to_transpose`],
    /// as cited); empty: all of them.
    pub articles: Vec<String>,
    pub title: String,
    /// The official reference (journal, number).
    pub reference: String,
    pub notified_on: CalendarDate,
    pub link: Option<String>,
    /// The state declared these articles completely transposed (else partly).
    pub completes: bool,
}

/// A national measure as typed (form or JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeasureInput {
    /// `DIR_2011_36`, `DIR_2024_1712`, `DIR_2004_81`.
    pub instrument: String,
    /// Citations separated by commas or semicolons (`Dir 2011/36 Art 11(4), Dir 2024/1712 Art 18a`
    /// or just `11(4), 18a`); empty: the whole directive.
    pub articles: String,
    pub title: String,
    pub reference: String,
    pub notified_on: String,
    pub link: String,
    /// `yes` or `no`.
    pub completes: String,
}

/// The Commission's assessment of one article of a state's transposition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: String,
    pub country: CountryCode,
    pub instrument: Instrument,
    /// The article's citation (`Dir 2011/36 Art 11(4)`).
    pub article: String,
    pub finding: Finding,
    pub assessed_on: CalendarDate,
    pub note: String,
}

/// An assessment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentInput {
    pub country: String,
    pub instrument: String,
    pub article: String,
    pub finding: String,
    pub assessed_on: String,
    pub note: String,
}

/// A step of an infringement procedure against a state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfringementStep {
    pub id: String,
    pub country: CountryCode,
    pub instrument: Instrument,
    /// The procedure's number (`INFR(2013)0123`): its steps share it.
    pub procedure: String,
    pub ground: InfringementGround,
    pub stage: InfringementStage,
    pub decided_on: CalendarDate,
}

/// An infringement step as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InfringementInput {
    pub country: String,
    pub instrument: String,
    pub procedure: String,
    pub ground: String,
    pub stage: String,
    pub decided_on: String,
}

/// A directive a state must transpose, parsed from `field`.
fn directive(field: &str, value: &str, instruments: &Instruments) -> Result<Instrument, ParseError> {
    let instrument = Instrument::parse_code(field, value.trim())?;
    match instruments.instrument(instrument) {
        Some(i) if i.kind == InstrumentKind::Directive && !instruments.articles_to_transpose(instrument).is_empty() => {
            Ok(instrument)
        }
        _ => Err(ParseError::said(
            field,
            format!("{} is not a directive Haven tracks the transposition of", instrument.citation()),
            Message::new(MessageId::MonitoringNotADirective).with("instrument", instrument.citation()),
        )),
    }
}

/// The state's deadline, or the error that the directive never bound it.
fn deadline_of(
    field: &str,
    instruments: &Instruments,
    instrument: Instrument,
    country: CountryCode,
) -> Result<CalendarDate, ParseError> {
    instruments.transposition_deadline(instrument, country).ok_or_else(|| {
        ParseError::said(
            field,
            format!("{country} is not bound by {}", instrument.citation()),
            Message::new(MessageId::MonitoringNotBound)
                .with("country", country)
                .with("instrument", instrument.citation()),
        )
    })
}

/// One article of those `instrument` transposes, as its citation; typed as the citation or as
/// the bare article (`11(4)`, read first as the directive's own, then as the article it amends).
fn article_of(
    field: &str,
    typed: &str,
    instruments: &Instruments,
    instrument: Instrument,
) -> Result<String, ParseError> {
    let typed = typed.trim();
    let candidates = instruments.articles_to_transpose(instrument);
    let found = candidates.iter().find(|a| a.citation() == typed).or_else(|| {
        candidates
            .iter()
            .find(|a| a.instrument == instrument && a.article == typed)
            .or_else(|| candidates.iter().find(|a| a.article == typed))
    });
    found.map(|a| a.citation()).ok_or_else(|| {
        ParseError::said(
            field,
            format!("{typed:?} is not an article {} transposes", instrument.citation()),
            Message::new(MessageId::MonitoringUnknownArticle)
                .with("article", typed)
                .with("instrument", instrument.citation()),
        )
    })
}

fn link(field: &str, value: &str) -> Result<Option<String>, ParseError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let line = parse_line(field, value, MAX_TEXT)?;
    let ok = (line.starts_with("https://") || line.starts_with("http://"))
        && line.len() > "https://".len()
        && !line.chars().any(char::is_whitespace);
    if !ok {
        return Err(ParseError::said(
            field,
            "must be a web address starting with https://",
            Message::new(MessageId::MonitoringNotALink),
        ));
    }
    Ok(Some(line))
}

fn yes_no(field: &str, value: &str) -> Result<bool, ParseError> {
    match value.trim() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        "" => Err(ParseError::yes_or_no(field)),
        other => Err(ParseError::not_yes_or_no(field, other)),
    }
}

impl NationalMeasure {
    /// A measure `country` notified; the directive must bind it and the articles be the
    /// directive's to transpose.
    pub fn parse(
        id: String,
        country: CountryCode,
        input: &MeasureInput,
        instruments: &Instruments,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let instrument = directive("instrument", &input.instrument, instruments)?;
        deadline_of("instrument", instruments, instrument, country)?;
        let mut articles: Vec<String> = Vec::new();
        for typed in input.articles.split([',', ';']).map(str::trim).filter(|a| !a.is_empty()) {
            let article = article_of("articles", typed, instruments, instrument)?;
            if !articles.contains(&article) {
                articles.push(article);
            }
        }
        let title = parse_line("title", &input.title, MAX_TEXT)?;
        let reference = parse_line("reference", &input.reference, MAX_TEXT)?;
        let notified_on = past_date("notified_on", &input.notified_on, today)?;
        if let Some(in_force) = instruments.instrument(instrument).map(|i| i.adopted_on) {
            before_in_force("notified_on", notified_on, in_force, instrument)?;
        }
        let link = link("link", &input.link)?;
        let completes = yes_no("completes", &input.completes)?;
        Ok(Self { id, country, instrument, articles, title, reference, notified_on, link, completes })
    }

    /// Whether it transposes the article cited `citation`.
    pub fn covers(&self, citation: &str) -> bool {
        self.articles.is_empty() || self.articles.iter().any(|a| a == citation)
    }
}

fn before_in_force(
    field: &str,
    date: CalendarDate,
    earliest: CalendarDate,
    instrument: Instrument,
) -> Result<(), ParseError> {
    if date < earliest {
        return Err(ParseError::said(
            field,
            format!("must not be before {earliest} ({})", instrument.citation()),
            Message::new(MessageId::MonitoringBeforeInForce)
                .with("date", earliest)
                .with("instrument", instrument.citation()),
        ));
    }
    Ok(())
}

impl Assessment {
    /// The Commission's assessment of an article of a state's transposition.
    pub fn parse(
        id: String,
        input: &AssessmentInput,
        instruments: &Instruments,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let country = CountryCode::parse("country", &input.country)?;
        let instrument = directive("instrument", &input.instrument, instruments)?;
        deadline_of("country", instruments, instrument, country)?;
        if input.article.trim().is_empty() {
            return Err(ParseError::empty("article"));
        }
        let article = article_of("article", &input.article, instruments, instrument)?;
        let finding = Finding::parse_code("finding", input.finding.trim())?;
        let assessed_on = past_date("assessed_on", &input.assessed_on, today)?;
        if let Some(adopted) = instruments.instrument(instrument).map(|i| i.adopted_on) {
            before_in_force("assessed_on", assessed_on, adopted, instrument)?;
        }
        let note = if input.note.trim().is_empty() { String::new() } else { parse_note("note", &input.note)? };
        Ok(Self { id, country, instrument, article, finding, assessed_on, note })
    }
}

/// A note of several lines: no control characters but line breaks, at most [`MAX_NOTE`].
fn parse_note(field: &str, value: &str) -> Result<String, ParseError> {
    let value = value.trim();
    if value.chars().count() > MAX_NOTE {
        return Err(ParseError::too_long(field, MAX_NOTE));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(ParseError::control_characters(field));
    }
    Ok(value.replace("\r\n", "\n"))
}

impl InfringementStep {
    /// A step of a procedure against a state, after the steps `earlier` recorded for the same
    /// state (any procedure: those of this one are picked by its number). The first step of a
    /// procedure is the letter of formal notice, on or after the state's deadline; each later
    /// step comes after the last one and on or after its day; nothing follows the closing.
    pub fn parse(
        id: String,
        input: &InfringementInput,
        instruments: &Instruments,
        earlier: &[InfringementStep],
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let country = CountryCode::parse("country", &input.country)?;
        let instrument = directive("instrument", &input.instrument, instruments)?;
        let deadline = deadline_of("country", instruments, instrument, country)?;
        let procedure = parse_line("procedure", &input.procedure, 100)?;
        let ground = InfringementGround::parse_code("ground", input.ground.trim())?;
        let stage = InfringementStage::parse_code("stage", input.stage.trim())?;
        let decided_on = past_date("decided_on", &input.decided_on, today)?;
        let mut before: Vec<&InfringementStep> =
            earlier.iter().filter(|s| s.country == country && s.procedure == procedure).collect();
        before.sort_by_key(|s| (s.decided_on, s.stage));
        match before.last() {
            None => {
                if stage != InfringementStage::FormalNotice {
                    return Err(step_order(InfringementStage::FormalNotice));
                }
                not_before("decided_on", decided_on, deadline)?;
            }
            Some(last) => {
                if last.stage == InfringementStage::Closed {
                    return Err(ParseError::said(
                        "stage",
                        format!("procedure {procedure} is closed"),
                        Message::new(MessageId::MonitoringProcedureClosed).with("procedure", &procedure),
                    ));
                }
                let next_allowed = stage > last.stage
                    && (stage == InfringementStage::Closed || stage as usize == last.stage as usize + 1);
                if !next_allowed {
                    let next = InfringementStage::ALL.get(last.stage as usize + 1).copied();
                    return Err(step_order(next.unwrap_or(InfringementStage::Closed)));
                }
                if last.instrument != instrument {
                    return Err(ParseError::said(
                        "instrument",
                        format!("procedure {procedure} concerns {}", last.instrument.citation()),
                        Message::new(MessageId::UnknownValue).with("value", instrument.code()),
                    ));
                }
                not_before("decided_on", decided_on, last.decided_on)?;
            }
        }
        Ok(Self { id, country, instrument, procedure, ground, stage, decided_on })
    }

    /// The day the state's answer is expected: [`REPLY_MONTHS`] after a letter of formal
    /// notice or a reasoned opinion.
    pub fn reply_due(&self) -> Option<CalendarDate> {
        match self.stage {
            InfringementStage::FormalNotice | InfringementStage::ReasonedOpinion => {
                self.decided_on.add_months(REPLY_MONTHS)
            }
            _ => None,
        }
    }
}

fn step_order(expected: InfringementStage) -> ParseError {
    ParseError::said(
        "stage",
        format!("the next step of this procedure is {expected}"),
        Message::new(MessageId::MonitoringStepOrder).with("stage", expected.code()),
    )
}

/// How a state stands against its transposition deadline on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Lateness {
    /// The directive does not bind the state (Denmark).
    NotBound,
    /// The deadline is still to come (`days_left` 0: it is today).
    NotYetDue { deadline: CalendarDate, days_left: i64, partial: bool },
    /// Complete transposition notified on or before the deadline.
    OnTime { deadline: CalendarDate, notified_on: CalendarDate },
    /// Complete transposition notified after the deadline.
    NotifiedLate { deadline: CalendarDate, notified_on: CalendarDate, days_late: i64 },
    /// Past the deadline and not completely notified (`partial`: some measures notified).
    NotNotified { deadline: CalendarDate, days_late: i64, partial: bool },
}

impl Lateness {
    /// Its code in pages and JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Lateness::NotBound => "not_bound",
            Lateness::NotYetDue { .. } => "not_yet_due",
            Lateness::OnTime { .. } => "on_time",
            Lateness::NotifiedLate { .. } => "notified_late",
            Lateness::NotNotified { .. } => "not_notified",
        }
    }

    /// Late today: past the deadline without complete notification.
    pub fn is_late_now(&self) -> bool {
        matches!(self, Lateness::NotNotified { .. })
    }

    /// The deadline, where the state is bound.
    pub fn deadline(&self) -> Option<CalendarDate> {
        match *self {
            Lateness::NotBound => None,
            Lateness::NotYetDue { deadline, .. }
            | Lateness::OnTime { deadline, .. }
            | Lateness::NotifiedLate { deadline, .. }
            | Lateness::NotNotified { deadline, .. } => Some(deadline),
        }
    }

    /// Days late (notified late, or late until today), 0 otherwise.
    pub fn days_late(&self) -> i64 {
        match *self {
            Lateness::NotifiedLate { days_late, .. } | Lateness::NotNotified { days_late, .. } => days_late,
            _ => 0,
        }
    }
}

/// The measures of `country` for `instrument` notified on or before `on`.
fn measures_of(
    measures: &[NationalMeasure],
    instrument: Instrument,
    country: CountryCode,
    on: CalendarDate,
) -> impl Iterator<Item = &NationalMeasure> {
    measures.iter().filter(move |m| m.instrument == instrument && m.country == country && m.notified_on <= on)
}

/// The first day by which every article `instrument` transposes had a complete measure of
/// `country` notified (by `on`), if it came.
pub fn complete_since(
    instruments: &Instruments,
    instrument: Instrument,
    country: CountryCode,
    measures: &[NationalMeasure],
    on: CalendarDate,
) -> Option<CalendarDate> {
    let articles = instruments.articles_to_transpose(instrument);
    if articles.is_empty() {
        return None;
    }
    let mut last: Option<CalendarDate> = None;
    for article in articles {
        let citation = article.citation();
        let first = measures_of(measures, instrument, country, on)
            .filter(|m| m.completes && m.covers(&citation))
            .map(|m| m.notified_on)
            .min()?;
        last = Some(last.map_or(first, |l: CalendarDate| l.max(first)));
    }
    last
}

/// How `country` stands against its deadline for `instrument` on `today`.
pub fn lateness(
    instruments: &Instruments,
    instrument: Instrument,
    country: CountryCode,
    measures: &[NationalMeasure],
    today: CalendarDate,
) -> Lateness {
    let Some(deadline) = instruments.transposition_deadline(instrument, country) else {
        return Lateness::NotBound;
    };
    let partial = measures_of(measures, instrument, country, today).next().is_some();
    match complete_since(instruments, instrument, country, measures, today) {
        Some(notified_on) if notified_on <= deadline => Lateness::OnTime { deadline, notified_on },
        Some(notified_on) => {
            Lateness::NotifiedLate { deadline, notified_on, days_late: deadline.days_until(notified_on) }
        }
        None if today <= deadline => Lateness::NotYetDue { deadline, days_left: today.days_until(deadline), partial },
        None => Lateness::NotNotified { deadline, days_late: deadline.days_until(today), partial },
    }
}

/// Where `country`'s transposition of the article cited `citation` (of those `instrument`
/// transposes) stands on `on`: the latest measure or assessment of that day or before.
pub fn article_status(
    instrument: Instrument,
    citation: &str,
    country: CountryCode,
    measures: &[NationalMeasure],
    assessments: &[Assessment],
    on: CalendarDate,
) -> TranspositionStatus {
    let mut latest: Option<((CalendarDate, u8), TranspositionStatus)> = None;
    let mut consider = |key: (CalendarDate, u8), status: TranspositionStatus| {
        if latest.is_none_or(|(k, _)| key >= k) {
            latest = Some((key, status));
        }
    };
    for m in measures_of(measures, instrument, country, on).filter(|m| m.covers(citation)) {
        consider(
            (m.notified_on, 0),
            if m.completes { TranspositionStatus::Complete } else { TranspositionStatus::Partial },
        );
    }
    for a in assessments
        .iter()
        .filter(|a| a.instrument == instrument && a.country == country && a.article == citation && a.assessed_on <= on)
    {
        let status = match a.finding {
            Finding::Conform => TranspositionStatus::Complete,
            Finding::Partial => TranspositionStatus::Partial,
            Finding::NonConformity => TranspositionStatus::NonConformity,
        };
        consider((a.assessed_on, 1), status);
    }
    latest.map_or(TranspositionStatus::NoMeasure, |(_, s)| s)
}

/// One state's row of the country × article matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixRow {
    pub country: CountryCode,
    pub lateness: Lateness,
    /// One status per article, in the order of [`Matrix::articles`].
    pub statuses: Vec<TranspositionStatus>,
}

/// The country × article matrix of a directive on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub instrument: Instrument,
    pub on: CalendarDate,
    /// The articles' citations, in the order of the reference data.
    pub articles: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

/// The matrix of `instrument` for `countries` (those it binds or bound; the others left out),
/// on `today`.
pub fn matrix(
    instruments: &Instruments,
    instrument: Instrument,
    countries: &[CountryCode],
    measures: &[NationalMeasure],
    assessments: &[Assessment],
    today: CalendarDate,
) -> Matrix {
    let articles: Vec<String> = instruments.articles_to_transpose(instrument).iter().map(|a| a.citation()).collect();
    let rows = countries
        .iter()
        .filter(|c| instruments.transposition_deadline(instrument, **c).is_some())
        .map(|country| MatrixRow {
            country: *country,
            lateness: lateness(instruments, instrument, *country, measures, today),
            statuses: articles
                .iter()
                .map(|a| article_status(instrument, a, *country, measures, assessments, today))
                .collect(),
        })
        .collect();
    Matrix { instrument, on: today, articles, rows }
}

/// How many states had notified by a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimelinePoint {
    pub date: CalendarDate,
    /// States that had notified complete transposition.
    pub complete: usize,
    /// States that had notified at least one measure.
    pub any: usize,
}

/// For each day on which a state of `countries` notified, how many had notified by then (up to
/// `today`), for `instrument`.
pub fn notification_timeline(
    instruments: &Instruments,
    instrument: Instrument,
    countries: &[CountryCode],
    measures: &[NationalMeasure],
    today: CalendarDate,
) -> Vec<TimelinePoint> {
    let bound: Vec<CountryCode> =
        countries.iter().copied().filter(|c| instruments.transposition_deadline(instrument, *c).is_some()).collect();
    let mut complete: Vec<CalendarDate> = Vec::new();
    let mut first: Vec<CalendarDate> = Vec::new();
    for country in &bound {
        if let Some(day) = complete_since(instruments, instrument, *country, measures, today) {
            complete.push(day);
        }
        if let Some(day) = measures_of(measures, instrument, *country, today).map(|m| m.notified_on).min() {
            first.push(day);
        }
    }
    let mut days: Vec<CalendarDate> = complete.iter().chain(&first).copied().collect();
    days.sort();
    days.dedup();
    days.into_iter()
        .map(|date| TimelinePoint {
            date,
            complete: complete.iter().filter(|d| **d <= date).count(),
            any: first.iter().filter(|d| **d <= date).count(),
        })
        .collect()
}

/// A deadline the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpcomingDeadline {
    pub country: CountryCode,
    pub instrument: Instrument,
    pub kind: DeadlineKind,
    pub due: CalendarDate,
    pub days_left: i64,
    /// The infringement procedure, for a reply.
    pub procedure: Option<String>,
}

/// The deadlines of `countries` due from `today` to `within_days` ahead: transposition
/// deadlines of directives not completely notified, and the replies expected to the last step
/// of each open infringement procedure. By due date.
pub fn deadlines_coming(
    instruments: &Instruments,
    countries: &[CountryCode],
    measures: &[NationalMeasure],
    steps: &[InfringementStep],
    today: CalendarDate,
    within_days: i64,
) -> Vec<UpcomingDeadline> {
    let within = |due: CalendarDate| (0..=within_days).contains(&today.days_until(due));
    let mut out = Vec::new();
    for info in instruments.instruments().iter().filter(|i| i.kind == InstrumentKind::Directive) {
        for country in countries {
            if let Lateness::NotYetDue { deadline, days_left, .. } =
                lateness(instruments, info.instrument, *country, measures, today)
                && within(deadline)
            {
                out.push(UpcomingDeadline {
                    country: *country,
                    instrument: info.instrument,
                    kind: DeadlineKind::Transposition,
                    due: deadline,
                    days_left,
                    procedure: None,
                });
            }
        }
    }
    let mut last: BTreeMap<(CountryCode, &str), &InfringementStep> = BTreeMap::new();
    for step in steps.iter().filter(|s| countries.contains(&s.country) && s.decided_on <= today) {
        let key = (step.country, step.procedure.as_str());
        if last.get(&key).is_none_or(|l| (step.decided_on, step.stage) >= (l.decided_on, l.stage)) {
            last.insert(key, step);
        }
    }
    for step in last.values() {
        let kind = match step.stage {
            InfringementStage::FormalNotice => DeadlineKind::ReplyToFormalNotice,
            InfringementStage::ReasonedOpinion => DeadlineKind::ReplyToReasonedOpinion,
            _ => continue,
        };
        if let Some(due) = step.reply_due()
            && within(due)
        {
            out.push(UpcomingDeadline {
                country: step.country,
                instrument: step.instrument,
                kind,
                due,
                days_left: today.days_until(due),
                procedure: Some(step.procedure.clone()),
            });
        }
    }
    out.sort_by_key(|a| (a.due, a.country, a.instrument));
    out
}

/// A state late on transposing a directive today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LateTransposition {
    pub country: CountryCode,
    pub instrument: Instrument,
    pub lateness: Lateness,
    /// The last step of its infringement procedures for the directive, if any.
    pub last_step: Option<InfringementStep>,
}

/// The states of `countries` past a deadline without complete notification today, most late
/// first.
pub fn late_transpositions(
    instruments: &Instruments,
    countries: &[CountryCode],
    measures: &[NationalMeasure],
    steps: &[InfringementStep],
    today: CalendarDate,
) -> Vec<LateTransposition> {
    let mut out = Vec::new();
    for info in instruments.instruments().iter().filter(|i| i.kind == InstrumentKind::Directive) {
        if instruments.articles_to_transpose(info.instrument).is_empty() {
            continue;
        }
        for country in countries {
            let l = lateness(instruments, info.instrument, *country, measures, today);
            if l.is_late_now() {
                let last_step = steps
                    .iter()
                    .filter(|s| s.country == *country && s.instrument == info.instrument && s.decided_on <= today)
                    .max_by_key(|s| (s.decided_on, s.stage))
                    .cloned();
                out.push(LateTransposition { country: *country, instrument: info.instrument, lateness: l, last_step });
            }
        }
    }
    out.sort_by(|a, b| b.lateness.days_late().cmp(&a.lateness.days_late()).then(a.country.cmp(&b.country)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn c(s: &str) -> CountryCode {
        CountryCode::parse("c", s).unwrap()
    }

    fn data() -> Instruments {
        Instruments::embedded().unwrap()
    }

    fn whole(country: &str, instrument: Instrument, on: &str, completes: bool) -> NationalMeasure {
        NationalMeasure {
            id: format!("{country}-{on}"),
            country: c(country),
            instrument,
            articles: vec![],
            title: "Law".into(),
            reference: "OJ".into(),
            notified_on: d(on),
            link: None,
            completes,
        }
    }

    const DIR: Instrument = Instrument::AntiTraffickingDirective;
    const AMENDING: Instrument = Instrument::AmendingDirective;

    #[test]
    fn art_22_dir_2011_36_a_state_notifying_after_6_april_2013_is_late_by_the_days_after_it() {
        let i = data();
        let m = [whole("DE", DIR, "2016-10-15", true)];
        assert_eq!(
            lateness(&i, DIR, c("DE"), &m, d("2026-12-06")),
            Lateness::NotifiedLate { deadline: d("2013-04-06"), notified_on: d("2016-10-15"), days_late: 1288 }
        );
        // On the deadline itself: on time.
        let m = [whole("LV", DIR, "2013-04-06", true)];
        assert!(matches!(lateness(&i, DIR, c("LV"), &m, d("2013-05-01")), Lateness::OnTime { .. }));
        // The day after, not notified: one day late; partial measures say so.
        let m = [whole("BE", DIR, "2013-03-01", false)];
        assert_eq!(
            lateness(&i, DIR, c("BE"), &m, d("2013-04-07")),
            Lateness::NotNotified { deadline: d("2013-04-06"), days_late: 1, partial: true }
        );
        // Denmark is not bound.
        assert_eq!(lateness(&i, DIR, c("DK"), &[], d("2013-04-07")), Lateness::NotBound);
        // Croatia's deadline is its accession.
        assert_eq!(lateness(&i, DIR, c("HR"), &[], d("2013-06-30")).deadline(), Some(d("2013-07-01")));
    }

    #[test]
    fn dir_2024_1712_deadline_to_come_counts_days_left_and_complete_needs_every_amended_article() {
        let i = data();
        assert_eq!(
            lateness(&i, AMENDING, c("LV"), &[], d("2026-07-05")),
            Lateness::NotYetDue { deadline: d("2026-07-15"), days_left: 10, partial: false }
        );
        // A measure for one article only is partial, even when that article is complete.
        let mut one = whole("LV", AMENDING, "2026-06-01", true);
        one.articles = vec!["Dir 2024/1712 Art 18a".into()];
        assert_eq!(
            lateness(&i, AMENDING, c("LV"), std::slice::from_ref(&one), d("2026-07-16")),
            Lateness::NotNotified { deadline: d("2026-07-15"), days_late: 1, partial: true }
        );
        // The rest completed later: notified late on that day.
        let rest = whole("LV", AMENDING, "2026-08-01", true);
        assert_eq!(
            lateness(&i, AMENDING, c("LV"), &[one, rest], d("2026-12-06")),
            Lateness::NotifiedLate { deadline: d("2026-07-15"), notified_on: d("2026-08-01"), days_late: 17 }
        );
    }

    #[test]
    fn an_articles_status_is_the_latest_measure_or_assessment_of_the_day() {
        let art = "Dir 2011/36 Art 13(2)";
        let m = [whole("PL", DIR, "2013-03-01", true)];
        let a = [Assessment {
            id: "a".into(),
            country: c("PL"),
            instrument: DIR,
            article: art.into(),
            finding: Finding::NonConformity,
            assessed_on: d("2016-12-02"),
            note: String::new(),
        }];
        let at = |on: &str| article_status(DIR, art, c("PL"), &m, &a, d(on));
        assert_eq!(at("2013-02-28"), TranspositionStatus::NoMeasure);
        assert_eq!(at("2013-03-01"), TranspositionStatus::Complete);
        assert_eq!(at("2016-12-02"), TranspositionStatus::NonConformity);
        // A later measure answers the finding.
        let later = [m[0].clone(), whole("PL", DIR, "2018-01-10", true)];
        assert_eq!(article_status(DIR, art, c("PL"), &later, &a, d("2018-01-10")), TranspositionStatus::Complete);
    }

    #[test]
    fn the_timeline_counts_states_that_had_notified_by_each_day() {
        let i = data();
        let m = [
            whole("LV", DIR, "2013-03-20", true),
            whole("EE", DIR, "2013-05-10", false),
            whole("EE", DIR, "2013-06-01", true),
            whole("DK", DIR, "2013-01-01", true),
        ];
        let countries = [c("LV"), c("EE"), c("DK"), c("DE")];
        let t = notification_timeline(&i, DIR, &countries, &m, d("2026-12-06"));
        let points: Vec<(String, usize, usize)> = t.iter().map(|p| (p.date.to_string(), p.complete, p.any)).collect();
        // Denmark is not bound: its measure is not counted.
        assert_eq!(points, [("2013-03-20".into(), 1, 1), ("2013-05-10".into(), 1, 2), ("2013-06-01".into(), 2, 2)]);
    }

    fn step(stage: InfringementStage, on: &str) -> InfringementStep {
        InfringementStep {
            id: on.into(),
            country: c("BE"),
            instrument: DIR,
            procedure: "INFR(2013)0123".into(),
            ground: InfringementGround::NonCommunication,
            stage,
            decided_on: d(on),
        }
    }

    fn input(stage: &str, on: &str) -> InfringementInput {
        InfringementInput {
            country: "BE".into(),
            instrument: "DIR_2011_36".into(),
            procedure: "INFR(2013)0123".into(),
            ground: "non_communication".into(),
            stage: stage.into(),
            decided_on: on.into(),
        }
    }

    #[test]
    fn infringement_steps_follow_the_treaty_order_and_close_once() {
        let i = data();
        let today = d("2026-12-06");
        let parse = |input: &InfringementInput, earlier: &[InfringementStep]| {
            InfringementStep::parse("x".into(), input, &i, earlier, today)
        };
        // The first step is the letter of formal notice, not before the deadline.
        assert_eq!(parse(&input("reasoned_opinion", "2013-05-30"), &[]).unwrap_err().field, "stage");
        assert_eq!(parse(&input("letter_of_formal_notice", "2013-04-05"), &[]).unwrap_err().field, "decided_on");
        let first = parse(&input("letter_of_formal_notice", "2013-05-30"), &[]).unwrap();
        assert_eq!(first.reply_due(), Some(d("2013-07-30")));
        // A referral skips no step; the next comes after the last one, on or after its day.
        assert_eq!(
            parse(&input("referral_to_court", "2014-01-01"), std::slice::from_ref(&first)).unwrap_err().field,
            "stage"
        );
        assert_eq!(
            parse(&input("reasoned_opinion", "2013-05-01"), std::slice::from_ref(&first)).unwrap_err().field,
            "decided_on"
        );
        let opinion = parse(&input("reasoned_opinion", "2014-01-23"), std::slice::from_ref(&first)).unwrap();
        let closed = parse(&input("closed", "2014-06-01"), &[first.clone(), opinion.clone()]).unwrap();
        let e = parse(&input("referral_to_court", "2015-01-01"), &[first, opinion, closed]).unwrap_err();
        assert_eq!(e.problem.map(|p| p.id), Some(MessageId::MonitoringProcedureClosed));
        // A state the directive does not bind has no procedure under it.
        let mut dk = input("letter_of_formal_notice", "2013-05-30");
        dk.country = "DK".into();
        assert_eq!(parse(&dk, &[]).unwrap_err().field, "country");
    }

    #[test]
    fn a_measure_names_the_field_at_fault() {
        let i = data();
        let today = d("2026-12-06");
        let good = MeasureInput {
            instrument: "DIR_2024_1712".into(),
            articles: "18a, Dir 2011/36 Art 11(4)".into(),
            title: "Law amending the Criminal Law".into(),
            reference: "Latvijas Vēstnesis 2026/120".into(),
            notified_on: "2026-07-10".into(),
            link: "https://likumi.lv/ta/id/1".into(),
            completes: "no".into(),
        };
        let m = NationalMeasure::parse("m".into(), c("LV"), &good, &i, today).unwrap();
        assert_eq!(m.articles, ["Dir 2024/1712 Art 18a", "Dir 2011/36 Art 11(4)"]);
        let field = |change: &dyn Fn(&mut MeasureInput), country: &str| {
            let mut bad = good.clone();
            change(&mut bad);
            NationalMeasure::parse("m".into(), c(country), &bad, &i, today).unwrap_err().field
        };
        assert_eq!(field(&|m| m.articles = "8".into(), "LV"), "articles");
        assert_eq!(field(&|m| m.instrument = "CETS_197".into(), "LV"), "instrument");
        assert_eq!(field(&|_| {}, "DK"), "instrument");
        assert_eq!(field(&|m| m.title = " ".into(), "LV"), "title");
        assert_eq!(field(&|m| m.notified_on = "2027-01-01".into(), "LV"), "notified_on");
        assert_eq!(field(&|m| m.link = "javascript:alert(1)".into(), "LV"), "link");
        assert_eq!(field(&|m| m.completes = String::new(), "LV"), "completes");
    }

    #[test]
    fn the_dashboard_shows_deadlines_within_90_days_and_states_late_today() {
        let i = data();
        let countries = [c("LV"), c("EE"), c("DK")];
        let today = d("2026-05-01");
        let coming = deadlines_coming(&i, &countries, &[], &[], today, DASHBOARD_DAYS);
        let got: Vec<(String, String)> = coming.iter().map(|u| (u.country.to_string(), u.due.to_string())).collect();
        assert_eq!(got, [("EE".into(), "2026-07-15".into()), ("LV".into(), "2026-07-15".into())]);
        assert!(deadlines_coming(&i, &countries, &[], &[], d("2026-04-15"), DASHBOARD_DAYS).is_empty());
        // A reply to a letter of formal notice is a deadline too.
        let letter = step(InfringementStage::FormalNotice, "2026-11-20");
        let coming = deadlines_coming(&i, &[c("BE")], &[], std::slice::from_ref(&letter), d("2026-12-06"), 90);
        assert_eq!(coming.len(), 1);
        assert_eq!((coming[0].kind, coming[0].due), (DeadlineKind::ReplyToFormalNotice, d("2027-01-20")));
        // Late today: past the deadline without complete notification.
        let late =
            late_transpositions(&i, &countries, &[whole("LV", AMENDING, "2026-07-01", true)], &[], d("2026-12-06"));
        let got: Vec<(String, String)> =
            late.iter().map(|l| (l.country.to_string(), l.instrument.code().into())).collect();
        assert!(got.contains(&("EE".into(), "DIR_2024_1712".into())), "{got:?}");
        assert!(!got.iter().any(|(c, i)| c == "LV" && i == "DIR_2024_1712"), "{got:?}");
        assert!(!got.iter().any(|(c, _)| c == "DK"), "{got:?}");
    }

    proptest! {
        /// Lateness arithmetic: on time exactly when notified on or before the deadline; days
        /// late are the days from the deadline to the notification (or to today).
        #[test]
        fn lateness_counts_the_days_from_the_deadline(notified in -400i64..400, today_after in 0i64..800) {
            let i = data();
            let deadline = d("2026-07-15");
            let on = deadline.add_days(notified).unwrap();
            let today = on.add_days(today_after).unwrap();
            let m = [whole("LT", AMENDING, &on.to_string(), true)];
            let l = lateness(&i, AMENDING, c("LT"), &m, today);
            if notified <= 0 {
                prop_assert_eq!(l, Lateness::OnTime { deadline, notified_on: on });
            } else {
                prop_assert_eq!(l, Lateness::NotifiedLate { deadline, notified_on: on, days_late: notified });
            }
            let none = lateness(&i, AMENDING, c("LT"), &[], today);
            let past = deadline.days_until(today);
            if past > 0 {
                prop_assert_eq!(none, Lateness::NotNotified { deadline, days_late: past, partial: false });
            } else {
                prop_assert_eq!(none, Lateness::NotYetDue { deadline, days_left: -past, partial: false });
            }
        }
    }
}
