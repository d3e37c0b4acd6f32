//! Strategies and action plans against trafficking, and how far their actions have come.
//!
//! The EU Strategy towards the eradication of trafficking in human beings 2012–2016
//! (COM(2012) 286, 19 June 2012) ships as reference data: its five priorities (A–E) in
//! `reference/eu-strategy-2012-2016-priorities.csv` and its actions, each with its responsible
//! actor and target, in `reference/eu-strategy-2012-2016.csv`. The annex of the Communication was
//! not read in full: each action says how far it was verified ([`Verification`]), and the
//! unverified ones name what to check. Later strategies and a country's national action plans are
//! recorded ([`Strategy::parse`], [`StrategyAction::parse`]).
//!
//! For each action, its [`ActionStatus`] and the evidence of it ([`Evidence`]) are recorded; an
//! action is overdue ([`is_overdue`]) when it is neither completed nor discontinued and its target
//! day has passed; [`progress`] counts the actions of each priority as of `today`.

use crate::case::CalendarDate;
use crate::text::parse_line;
use crate::{Coded, Jurisdiction, Message, MessageId, ParseError, coded_enum};
use serde::{Deserialize, Serialize};

/// The id of the shipped EU Strategy 2012–2016.
pub const EU_STRATEGY_2012_2016: &str = "eu-2012-2016";
/// Where the shipped Strategy comes from.
pub const EU_STRATEGY_SOURCE: &str = "COM(2012) 286, 19.6.2012 (EU Strategy towards the eradication of trafficking in human beings 2012-2016); Council conclusions of 25.10.2012; mid-term report SWD(2014) 318";

/// The id of the shipped EU Strategy on Combatting Trafficking in Human Beings 2021–2025.
pub const EU_STRATEGY_2021_2025: &str = "eu-2021-2025";

/// A strategy shipped as reference data: its priorities and actions in `reference/`.
struct Shipped {
    id: &'static str,
    title: &'static str,
    reference: &'static str,
    starts_on: &'static str,
    ends_on: &'static str,
    priorities_file: &'static str,
    priorities_csv: &'static str,
    actions_file: &'static str,
    actions_csv: &'static str,
    /// Where it comes from.
    source: &'static str,
}

/// The shipped strategies, oldest first. The 2021–2025 Strategy (COM(2021) 171, 14 April 2021)
/// is structured in chapters 2 to 6 (its priorities, by chapter number); its key actions are not
/// numbered in the text, the numbers are ours, and each row says how far it was verified against
/// the text (`verification`, `source`).
const SHIPPED: [Shipped; 2] = [
    Shipped {
        id: EU_STRATEGY_2012_2016,
        title: "EU Strategy towards the eradication of trafficking in human beings 2012-2016",
        reference: "COM(2012) 286",
        starts_on: "2012-06-19",
        ends_on: "2016-12-31",
        priorities_file: "eu-strategy-2012-2016-priorities.csv",
        priorities_csv: include_str!("../../../reference/eu-strategy-2012-2016-priorities.csv"),
        actions_file: "eu-strategy-2012-2016.csv",
        actions_csv: include_str!("../../../reference/eu-strategy-2012-2016.csv"),
        source: EU_STRATEGY_SOURCE,
    },
    Shipped {
        id: EU_STRATEGY_2021_2025,
        title: "EU Strategy on Combatting Trafficking in Human Beings 2021-2025",
        reference: "COM(2021) 171",
        starts_on: "2021-04-14",
        ends_on: "2025-12-31",
        priorities_file: "eu-strategy-2021-2025-priorities.csv",
        priorities_csv: include_str!("../../../reference/eu-strategy-2021-2025-priorities.csv"),
        actions_file: "eu-strategy-2021-2025.csv",
        actions_csv: include_str!("../../../reference/eu-strategy-2021-2025.csv"),
        source: EU_STRATEGY_2021_2025_SOURCE,
    },
];

/// Where the shipped Strategy 2021–2025 comes from.
pub const EU_STRATEGY_2021_2025_SOURCE: &str = "COM(2021) 171, 14.4.2021 (EU Strategy on Combatting Trafficking in Human Beings 2021-2025): the chapters read in a stored copy of the text; the key actions partly read there, the others summarised and marked to check";

/// Where a shipped strategy comes from (empty for another id).
pub fn shipped_source(id: &str) -> &'static str {
    SHIPPED.iter().find(|s| s.id == id).map_or("", |s| s.source)
}

/// Whether `id` is a shipped strategy's.
pub fn is_shipped(id: &str) -> bool {
    SHIPPED.iter().any(|s| s.id == id)
}

/// The most evidence items one action holds.
pub const MAX_EVIDENCE: usize = 50;

coded_enum! {
    /// Where an action stands.
    pub enum ActionStatus {
        NotStarted => "not_started",
        Ongoing => "ongoing",
        Completed => "completed",
        /// Given up (superseded, no longer pursued): neither done nor overdue.
        Discontinued => "discontinued",
    }
}

coded_enum! {
    /// How far a shipped action was checked against the text of the Strategy.
    pub enum Verification {
        /// Read in a stored copy of the Strategy or an official source.
        Verified => "verified",
        /// The action confirmed, its actor or target year not.
        PartlyVerified => "partly_verified",
        /// Not verified: to be checked against the annex of COM(2012) 286.
        Unverified => "unverified",
        /// Recorded by a user of the platform (a national plan, a later strategy).
        Recorded => "recorded",
    }
}

coded_enum! {
    /// What a piece of evidence of an action is.
    pub enum EvidenceKind {
        /// A document (a report, a law, a guideline), by its address.
        Document => "document",
        /// A statistics release of the platform, by its id or address.
        StatisticsRelease => "statistics_release",
        /// A training recorded on the platform, by its id or address.
        Training => "training",
    }
}

/// A priority of a strategy (its code, e.g. `A`, and its title).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    pub code: String,
    pub title: String,
    /// Its Latvian title, where the data has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_lv: Option<String>,
}

/// A strategy or action plan: the EU's, or a country's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    pub id: String,
    /// Whose it is: the EU level or a country.
    pub scope: Jurisdiction,
    pub title: String,
    /// Its reference (a Communication's number, a government decision).
    pub reference: String,
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
    pub priorities: Vec<Priority>,
    /// Shipped with the platform (its actions are reference data), not recorded.
    pub shipped: bool,
}

/// An action of a strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyAction {
    pub strategy_id: String,
    /// Its number in the strategy (`A1.2`).
    pub number: String,
    /// The code of its priority.
    pub priority: String,
    /// The heading it stands under, if any.
    pub heading: String,
    pub text: String,
    /// Who is responsible (the Commission, the Member States, a ministry).
    pub responsible: String,
    /// Its target as the strategy words it (`2014`, `end 2012`, `ongoing`).
    pub target: String,
    /// The day it is due (the last day of its target year); none for continuing actions.
    pub target_on: Option<CalendarDate>,
    pub verification: Verification,
    /// Where the action comes from, and what is left to check.
    pub source: String,
}

/// A piece of evidence of an action's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// An id on the platform or an address (`https://…`).
    pub reference: String,
    pub label: String,
    pub added_on: CalendarDate,
}

/// The recorded progress of an action: its status since a day, a note, its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionProgress {
    pub status: ActionStatus,
    pub since: CalendarDate,
    pub note: String,
    pub evidence: Vec<Evidence>,
}

/// The status of an action that may have no recorded progress.
pub fn status_of(progress: Option<&ActionProgress>) -> ActionStatus {
    progress.map_or(ActionStatus::NotStarted, |p| p.status)
}

/// Whether an action is overdue on `today`: neither completed nor discontinued, with a target day
/// before `today` (an action is due on its target day and overdue from the day after).
pub fn is_overdue(target_on: Option<CalendarDate>, status: ActionStatus, today: CalendarDate) -> bool {
    let open = matches!(status, ActionStatus::NotStarted | ActionStatus::Ongoing);
    open && target_on.is_some_and(|target| target < today)
}

/// Days an action is overdue on `today` (0 when it is not).
pub fn days_overdue(target_on: Option<CalendarDate>, status: ActionStatus, today: CalendarDate) -> i64 {
    match target_on {
        Some(target) if is_overdue(target_on, status, today) => target.days_until(today),
        _ => 0,
    }
}

/// How the actions of one priority stand on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityProgress {
    pub priority: String,
    pub actions: u32,
    pub completed: u32,
    pub ongoing: u32,
    pub not_started: u32,
    pub discontinued: u32,
    /// Not started or ongoing, past their target day.
    pub overdue: u32,
}

/// A share in whole per cent, rounded down (0 of 0 is 0).
pub fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 { 0 } else { ((u64::from(part) * 100) / u64::from(whole)) as u32 }
}

impl PriorityProgress {
    pub fn share_completed(&self) -> u32 {
        percent(self.completed, self.actions)
    }
    pub fn share_ongoing(&self) -> u32 {
        percent(self.ongoing, self.actions)
    }
    pub fn share_overdue(&self) -> u32 {
        percent(self.overdue, self.actions)
    }
}

/// The progress of each priority on `today`, in the order of `priorities`; actions of a priority
/// the list lacks are counted under their own code, after the others.
pub fn progress(
    priorities: &[Priority],
    actions: &[(&StrategyAction, Option<&ActionProgress>)],
    today: CalendarDate,
) -> Vec<PriorityProgress> {
    let mut rows: Vec<PriorityProgress> = priorities
        .iter()
        .map(|p| PriorityProgress {
            priority: p.code.clone(),
            actions: 0,
            completed: 0,
            ongoing: 0,
            not_started: 0,
            discontinued: 0,
            overdue: 0,
        })
        .collect();
    for (action, recorded) in actions {
        let at = match rows.iter().position(|r| r.priority == action.priority) {
            Some(at) => at,
            None => {
                rows.push(PriorityProgress {
                    priority: action.priority.clone(),
                    actions: 0,
                    completed: 0,
                    ongoing: 0,
                    not_started: 0,
                    discontinued: 0,
                    overdue: 0,
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[at];
        let status = status_of(*recorded);
        row.actions += 1;
        match status {
            ActionStatus::NotStarted => row.not_started += 1,
            ActionStatus::Ongoing => row.ongoing += 1,
            ActionStatus::Completed => row.completed += 1,
            ActionStatus::Discontinued => row.discontinued += 1,
        }
        if is_overdue(action.target_on, status, today) {
            row.overdue += 1;
        }
    }
    rows
}

/// A strategy or plan as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct StrategyInput {
    pub title: String,
    pub reference: String,
    pub starts_on: String,
    pub ends_on: String,
    /// One priority a line: its code, a colon, its title (`A: Identification of victims`).
    pub priorities: String,
}

/// An action as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ActionInput {
    pub number: String,
    pub priority: String,
    pub text: String,
    pub responsible: String,
    /// The day it is due (empty: a continuing action).
    pub target_on: String,
}

/// A change of an action's progress as typed: its status and note, and one piece of evidence
/// to add (all three evidence fields empty: none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ProgressInput {
    pub status: String,
    pub note: String,
    pub evidence_kind: String,
    pub evidence_reference: String,
    pub evidence_label: String,
}

fn code_like(field: &str, value: &str, max: usize) -> Result<String, ParseError> {
    let value = parse_line(field, value, max)?;
    if value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        Ok(value)
    } else {
        Err(ParseError::said(
            field,
            "letters, digits, dots and dashes only",
            Message::new(MessageId::StrategyCodeCharacters),
        ))
    }
}

fn date_order(field: &str, date: CalendarDate, earliest: CalendarDate) -> Result<(), ParseError> {
    if date < earliest {
        return Err(ParseError::said(
            field,
            format!("must not be before {earliest}"),
            Message::new(MessageId::StrategyNotBefore).with("date", earliest),
        ));
    }
    Ok(())
}

/// Parses the priorities typed one a line (`A: title`).
pub fn parse_priorities(field: &str, value: &str) -> Result<Vec<Priority>, ParseError> {
    let mut out: Vec<Priority> = Vec::new();
    for line in value.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((code, title)) = line.split_once(':') else {
            return Err(ParseError::said(
                field,
                format!("{line:?}: a priority is written as its code, a colon and its title"),
                Message::new(MessageId::StrategyPriorityLine).with("line", line),
            ));
        };
        let code = code_like(field, code.trim(), 8)?;
        if out.iter().any(|p| p.code == code) {
            return Err(ParseError::said(
                field,
                format!("the priority {code} is given twice"),
                Message::new(MessageId::StrategyPriorityTwice).with("code", &code),
            ));
        }
        out.push(Priority { code, title: parse_line(field, title, 300)?, title_lv: None });
    }
    if out.is_empty() {
        return Err(ParseError::empty(field));
    }
    if out.len() > 30 {
        return Err(ParseError::said(field, "at most 30 priorities", Message::new(MessageId::StrategyTooMany)));
    }
    Ok(out)
}

impl Strategy {
    /// Parses a recorded strategy or plan of `scope` (the EU level or a country).
    pub fn parse(id: String, scope: Jurisdiction, input: &StrategyInput) -> Result<Self, ParseError> {
        let title = parse_line("title", &input.title, 300)?;
        let reference = parse_line("reference", &input.reference, 200)?;
        let starts_on = CalendarDate::parse("starts_on", input.starts_on.trim())?;
        let ends_on = CalendarDate::parse("ends_on", input.ends_on.trim())?;
        date_order("ends_on", ends_on, starts_on)?;
        let priorities = parse_priorities("priorities", &input.priorities)?;
        Ok(Self { id, scope, title, reference, starts_on, ends_on, priorities, shipped: false })
    }

    /// The shipped EU Strategy 2012–2016.
    pub fn eu_2012_2016() -> Result<Self, ParseError> {
        Self::shipped(&SHIPPED[0])
    }

    /// Every shipped strategy, oldest first.
    pub fn all_shipped() -> Result<Vec<Self>, ParseError> {
        SHIPPED.iter().map(Self::shipped).collect()
    }

    /// The shipped strategy `id`, if it is one.
    pub fn shipped_by_id(id: &str) -> Option<Result<Self, ParseError>> {
        SHIPPED.iter().find(|s| s.id == id).map(Self::shipped)
    }

    fn shipped(data: &Shipped) -> Result<Self, ParseError> {
        #[derive(Deserialize)]
        struct Row {
            code: String,
            title_en: String,
            title_lv: String,
        }
        let mut priorities = Vec::new();
        for row in csv::Reader::from_reader(data.priorities_csv.as_bytes()).deserialize::<Row>() {
            let row = row.map_err(|e| ParseError::new(data.priorities_file, e.to_string()))?;
            priorities.push(Priority { code: row.code, title: row.title_en, title_lv: Some(row.title_lv) });
        }
        let day = |s: &str| CalendarDate::parse(data.id, s);
        Ok(Self {
            id: data.id.to_owned(),
            scope: Jurisdiction::EuropeanUnion,
            title: data.title.to_owned(),
            reference: data.reference.to_owned(),
            starts_on: day(data.starts_on)?,
            ends_on: day(data.ends_on)?,
            priorities,
            shipped: true,
        })
    }

    /// The title of a priority in `language` (`lv` where the data has it), or its code.
    pub fn priority_title(&self, code: &str, language: &str) -> String {
        self.priorities
            .iter()
            .find(|p| p.code == code)
            .map(|p| match (&p.title_lv, language) {
                (Some(lv), "lv") => lv.clone(),
                _ => p.title.clone(),
            })
            .unwrap_or_else(|| code.to_owned())
    }
}

/// The actions of the shipped EU Strategy 2012–2016, in the order of the data.
pub fn eu_2012_2016_actions() -> Result<Vec<StrategyAction>, ParseError> {
    shipped_actions(EU_STRATEGY_2012_2016)
}

/// The actions of the shipped strategy `id`, in the order of the data (none for another id).
pub fn shipped_actions(id: &str) -> Result<Vec<StrategyAction>, ParseError> {
    #[derive(Deserialize)]
    struct Row {
        number: String,
        priority: String,
        action: String,
        measure: String,
        responsible: String,
        target: String,
        target_on: String,
        verification: String,
        source: String,
    }
    let Some(data) = SHIPPED.iter().find(|s| s.id == id) else { return Ok(Vec::new()) };
    let file = data.actions_file;
    let mut out = Vec::new();
    for row in csv::Reader::from_reader(data.actions_csv.as_bytes()).deserialize::<Row>() {
        let row = row.map_err(|e| ParseError::new(file, e.to_string()))?;
        let target_on = match row.target_on.trim() {
            "" => None,
            day => Some(CalendarDate::parse(file, day)?),
        };
        out.push(StrategyAction {
            strategy_id: data.id.to_owned(),
            number: row.number,
            priority: row.priority,
            heading: row.action,
            text: row.measure,
            responsible: row.responsible,
            target: row.target,
            target_on,
            verification: Verification::parse_code(file, row.verification.trim())?,
            source: row.source,
        });
    }
    Ok(out)
}

impl StrategyAction {
    /// Parses an action recorded for `strategy` (its priority one of the strategy's).
    pub fn parse(strategy: &Strategy, input: &ActionInput) -> Result<Self, ParseError> {
        let number = code_like("number", &input.number, 20)?;
        let priority = input.priority.trim();
        if !strategy.priorities.iter().any(|p| p.code == priority) {
            return Err(if priority.is_empty() {
                ParseError::empty("priority")
            } else {
                ParseError::said(
                    "priority",
                    format!("the strategy has no priority {priority}"),
                    Message::new(MessageId::UnknownValue).with("value", priority),
                )
            });
        }
        let text = parse_line("text", &input.text, 1_000)?;
        let responsible = parse_line("responsible", &input.responsible, 200)?;
        let target_on = match input.target_on.trim() {
            "" => None,
            day => Some(CalendarDate::parse("target_on", day)?),
        };
        Ok(Self {
            strategy_id: strategy.id.clone(),
            number,
            priority: priority.to_owned(),
            heading: String::new(),
            text,
            responsible,
            target: target_on.map_or_else(|| "ongoing".to_owned(), |d| d.to_string()),
            target_on,
            verification: Verification::Recorded,
            source: strategy.reference.clone(),
        })
    }
}

/// Parses the reference of a piece of evidence: an `http(s)://` address, or an id on the
/// platform (letters, digits, `-`, `_`, `.`, `:`).
pub fn parse_evidence_reference(field: &str, value: &str) -> Result<String, ParseError> {
    let value = parse_line(field, value, 500)?;
    let address =
        (value.starts_with("https://") || value.starts_with("http://")) && !value.contains(char::is_whitespace);
    let id = value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if address || id {
        Ok(value)
    } else {
        Err(ParseError::said(
            field,
            "an address (https://…) or an id on the platform",
            Message::new(MessageId::StrategyEvidenceReference),
        ))
    }
}

impl ActionProgress {
    /// The progress after a change typed on `today`, added to what was recorded before
    /// (`previous`: its evidence is kept, the new piece appended). The status's `since` moves to
    /// `today` only when the status changes.
    pub fn apply(
        previous: Option<&ActionProgress>,
        input: &ProgressInput,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let status = ActionStatus::parse_code("status", input.status.trim())?;
        let note = input.note.trim();
        let note = if note.is_empty() { String::new() } else { parse_line("note", note, 2_000)? };
        let mut evidence = previous.map(|p| p.evidence.clone()).unwrap_or_default();
        let typed = [&input.evidence_kind, &input.evidence_reference, &input.evidence_label];
        if typed.iter().any(|v| !v.trim().is_empty()) {
            let kind = EvidenceKind::parse_code("evidence_kind", input.evidence_kind.trim())?;
            let reference = parse_evidence_reference("evidence_reference", &input.evidence_reference)?;
            let label = parse_line("evidence_label", &input.evidence_label, 300)?;
            if evidence.len() >= MAX_EVIDENCE {
                return Err(ParseError::said(
                    "evidence_reference",
                    format!("at most {MAX_EVIDENCE} pieces of evidence"),
                    Message::new(MessageId::StrategyTooMany),
                ));
            }
            evidence.push(Evidence { kind, reference, label, added_on: today });
        }
        let since = match previous {
            Some(p) if p.status == status => p.since,
            _ => today,
        };
        Ok(Self { status, since, note, evidence })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::{prop, prop_assert, prop_assert_eq, proptest};

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn action(priority: &str, target: Option<&str>) -> StrategyAction {
        StrategyAction {
            strategy_id: "s".into(),
            number: "X".into(),
            priority: priority.into(),
            heading: String::new(),
            text: "t".into(),
            responsible: "r".into(),
            target: String::new(),
            target_on: target.map(date),
            verification: Verification::Recorded,
            source: String::new(),
        }
    }

    fn at(status: ActionStatus) -> ActionProgress {
        ActionProgress { status, since: date("2014-01-01"), note: String::new(), evidence: vec![] }
    }

    #[test]
    fn the_shipped_strategy_has_five_priorities_and_every_action_under_one_of_them() {
        let strategy = Strategy::eu_2012_2016().unwrap();
        assert_eq!(strategy.priorities.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["A", "B", "C", "D", "E"]);
        let actions = eu_2012_2016_actions().unwrap();
        assert!(actions.len() >= 30, "about forty measures: {}", actions.len());
        for a in &actions {
            assert!(strategy.priorities.iter().any(|p| p.code == a.priority), "{}", a.number);
            assert!(a.number.starts_with(&a.priority), "{}", a.number);
            assert!(!a.responsible.is_empty() && !a.text.is_empty(), "{}", a.number);
        }
        let mut numbers: Vec<_> = actions.iter().map(|a| a.number.clone()).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), actions.len());
        // The transnational referral model, due in 2015, verified; continuing actions have no day.
        let a12 = actions.iter().find(|a| a.number == "A1.2").unwrap();
        assert_eq!((a12.target_on, a12.verification), (Some(date("2015-12-31")), Verification::Verified));
        assert!(actions.iter().any(|a| a.target_on.is_none()));
        assert!(actions.iter().any(|a| a.verification == Verification::Unverified));
        assert_eq!(strategy.priority_title("A", "lv"), "Cietušo identificēšana, aizsardzība un palīdzība");
    }

    #[test]
    fn the_2021_2025_strategy_ships_beside_the_2012_2016_one_each_row_marked_how_far_verified() {
        let all = Strategy::all_shipped().unwrap();
        assert_eq!(
            all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            [EU_STRATEGY_2012_2016, EU_STRATEGY_2021_2025]
        );
        let later = Strategy::shipped_by_id(EU_STRATEGY_2021_2025).unwrap().unwrap();
        assert_eq!((later.reference.as_str(), later.ends_on), ("COM(2021) 171", date("2025-12-31")));
        assert_eq!(later.priorities.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["2", "3", "4", "5", "6"]);
        assert!(later.priorities.iter().all(|p| p.title_lv.as_ref().is_some_and(|t| !t.is_empty())));
        let actions = shipped_actions(EU_STRATEGY_2021_2025).unwrap();
        assert!(actions.len() >= 15, "{}", actions.len());
        for a in &actions {
            assert!(later.priorities.iter().any(|p| p.code == a.priority), "{}", a.number);
            assert!(a.number.starts_with(&format!("{}.", a.priority)), "{}", a.number);
            assert!(!a.source.is_empty() && a.source.contains("COM(2021) 171"), "{}", a.number);
            assert_ne!(a.verification, Verification::Recorded, "{}", a.number);
            // What is not verified says what to check.
            if a.verification != Verification::Verified {
                assert!(
                    a.source.contains("check") || a.source.contains("not yet") || a.source.contains("ours"),
                    "{}",
                    a.number
                );
            }
        }
        // Honest marks: some rows read in the text, some summarised.
        assert!(actions.iter().any(|a| a.verification == Verification::Verified));
        assert!(actions.iter().any(|a| a.verification == Verification::Unverified));
        assert!(is_shipped(EU_STRATEGY_2021_2025) && is_shipped(EU_STRATEGY_2012_2016) && !is_shipped("lv-plan"));
        assert!(Strategy::shipped_by_id("lv-plan").is_none());
        assert!(shipped_actions("lv-plan").unwrap().is_empty());
    }

    #[test]
    fn an_action_is_due_on_its_target_day_and_overdue_from_the_next() {
        let target = Some(date("2014-12-31"));
        assert!(!is_overdue(target, ActionStatus::Ongoing, date("2014-12-31")));
        assert!(is_overdue(target, ActionStatus::Ongoing, date("2015-01-01")));
        assert!(is_overdue(target, ActionStatus::NotStarted, date("2016-02-29")));
        assert_eq!(days_overdue(target, ActionStatus::NotStarted, date("2016-02-29")), 425);
        assert!(!is_overdue(target, ActionStatus::Completed, date("2020-01-01")));
        assert!(!is_overdue(target, ActionStatus::Discontinued, date("2020-01-01")));
        assert!(!is_overdue(None, ActionStatus::NotStarted, date("2099-01-01")));
        assert_eq!(days_overdue(target, ActionStatus::Completed, date("2020-01-01")), 0);
    }

    #[test]
    fn progress_is_counted_per_priority_as_of_today() {
        let strategy = Strategy::eu_2012_2016().unwrap();
        let a = [
            action("A", Some("2013-12-31")),
            action("A", Some("2016-12-31")),
            action("A", None),
            action("B", Some("2012-12-31")),
        ];
        let done = at(ActionStatus::Completed);
        let going = at(ActionStatus::Ongoing);
        let rows = progress(
            &strategy.priorities,
            &[(&a[0], Some(&done)), (&a[1], Some(&going)), (&a[2], None), (&a[3], None)],
            date("2015-06-01"),
        );
        assert_eq!(rows.len(), 5);
        let r = &rows[0];
        assert_eq!((r.actions, r.completed, r.ongoing, r.not_started, r.overdue), (3, 1, 1, 1, 0));
        assert_eq!((r.share_completed(), r.share_ongoing(), r.share_overdue()), (33, 33, 0));
        assert_eq!((rows[1].actions, rows[1].overdue, rows[1].share_overdue()), (1, 1, 100));
        assert_eq!(rows[4].actions, 0);
        assert_eq!(rows[4].share_completed(), 0);
    }

    #[test]
    fn a_recorded_plan_names_its_priorities_and_its_actions_one_of_them() {
        let lv = Jurisdiction::Country(crate::CountryCode::parse("c", "LV").unwrap());
        let input = StrategyInput {
            title: "Plan".into(),
            reference: "Cabinet order 123".into(),
            starts_on: "2021-01-01".into(),
            ends_on: "2023-12-31".into(),
            priorities: "P1: Prevention\n\nP2: Identification".into(),
        };
        let plan = Strategy::parse("p".into(), lv, &input).unwrap();
        assert_eq!(plan.priorities.len(), 2);
        let bad = StrategyInput { ends_on: "2020-01-01".into(), ..input.clone() };
        assert_eq!(Strategy::parse("p".into(), lv, &bad).unwrap_err().field, "ends_on");
        let twice = StrategyInput { priorities: "P1: a\nP1: b".into(), ..input.clone() };
        assert_eq!(Strategy::parse("p".into(), lv, &twice).unwrap_err().field, "priorities");
        let no_colon = StrategyInput { priorities: "P1 a".into(), ..input };
        assert_eq!(Strategy::parse("p".into(), lv, &no_colon).unwrap_err().field, "priorities");
        let action = ActionInput {
            number: "1.1".into(),
            priority: "P3".into(),
            text: "Train labour inspectors".into(),
            responsible: "State Labour Inspectorate".into(),
            target_on: "2022-12-31".into(),
        };
        assert_eq!(StrategyAction::parse(&plan, &action).unwrap_err().field, "priority");
        let ok = StrategyAction::parse(&plan, &ActionInput { priority: "P2".into(), ..action.clone() }).unwrap();
        assert_eq!(ok.target_on, Some(date("2022-12-31")));
        let open =
            StrategyAction::parse(&plan, &ActionInput { priority: "P2".into(), target_on: String::new(), ..action })
                .unwrap();
        assert_eq!(open.target_on, None);
    }

    #[test]
    fn progress_keeps_its_evidence_and_the_day_its_status_began() {
        let input = |status: &str, kind: &str, reference: &str| ProgressInput {
            status: status.into(),
            note: String::new(),
            evidence_kind: kind.into(),
            evidence_reference: reference.into(),
            evidence_label: if reference.is_empty() { String::new() } else { "Label".into() },
        };
        let first =
            ActionProgress::apply(None, &input("ongoing", "document", "https://example.org/a.pdf"), date("2014-01-01"))
                .unwrap();
        let second =
            ActionProgress::apply(Some(&first), &input("ongoing", "training", "t-42"), date("2014-06-01")).unwrap();
        assert_eq!(second.since, date("2014-01-01"));
        assert_eq!(second.evidence.len(), 2);
        let third = ActionProgress::apply(Some(&second), &input("completed", "", ""), date("2015-01-01")).unwrap();
        assert_eq!((third.since, third.evidence.len()), (date("2015-01-01"), 2));
        let bad = ActionProgress::apply(None, &input("ongoing", "document", "not an address"), date("2014-01-01"));
        assert_eq!(bad.unwrap_err().field, "evidence_reference");
        let half = ActionProgress::apply(None, &input("ongoing", "", "t-1"), date("2014-01-01"));
        assert_eq!(half.unwrap_err().field, "evidence_kind");
        assert_eq!(
            ActionProgress::apply(None, &input("done", "", ""), date("2014-01-01")).unwrap_err().field,
            "status"
        );
    }

    fn any_status() -> impl proptest::strategy::Strategy<Value = ActionStatus> {
        prop::sample::select(ActionStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn overdue_exactly_when_open_and_past_its_target(target in 0i64..40_000, today in 0i64..40_000, status in any_status()) {
            let t = CalendarDate::from_days(target).unwrap();
            let d = CalendarDate::from_days(today).unwrap();
            let open = matches!(status, ActionStatus::NotStarted | ActionStatus::Ongoing);
            prop_assert_eq!(is_overdue(Some(t), status, d), open && today > target);
            prop_assert_eq!(days_overdue(Some(t), status, d), if open && today > target { today - target } else { 0 });
        }

        #[test]
        fn progress_counts_every_action_once(items in prop::collection::vec((0usize..3, prop::option::of(any_status()), 0i64..30_000), 0..60), today in 0i64..30_000) {
            let priorities: Vec<Priority> = ["A", "B", "C"].iter().map(|c| Priority { code: (*c).into(), title: String::new(), title_lv: None }).collect();
            let actions: Vec<StrategyAction> = items.iter().map(|(p, _, t)| {
                let mut a = action(["A", "B", "C"][*p], None);
                a.target_on = CalendarDate::from_days(*t);
                a
            }).collect();
            let recorded: Vec<Option<ActionProgress>> = items.iter().map(|(_, s, _)| s.map(at)).collect();
            let pairs: Vec<_> = actions.iter().zip(recorded.iter()).map(|(a, r)| (a, r.as_ref())).collect();
            let rows = progress(&priorities, &pairs, CalendarDate::from_days(today).unwrap());
            prop_assert_eq!(rows.len(), 3);
            prop_assert_eq!(rows.iter().map(|r| r.actions as usize).sum::<usize>(), items.len());
            for r in &rows {
                prop_assert_eq!(r.completed + r.ongoing + r.not_started + r.discontinued, r.actions);
                prop_assert!(r.overdue <= r.ongoing + r.not_started);
                prop_assert!(r.share_completed() + r.share_ongoing() <= 100);
                prop_assert!(r.share_overdue() <= 100);
            }
        }
    }
}
