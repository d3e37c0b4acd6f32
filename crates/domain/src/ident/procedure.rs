//! Identification procedures as national data.
//!
//! Neither Directive 2011/36/EU nor the Council of Europe Convention (CETS 197) prescribes how a
//! country identifies victims: they require that identification happens (CETS 197 Art 10(1)-(2)),
//! that assistance starts as soon as there is a reasonable-grounds indication (Dir 2011/36
//! Art 11(2)), that a person is not removed while identification runs (CETS 197 Art 10(2)) and that
//! a recovery and reflection period is granted (CETS 197 Art 13(1)). Everything else is a
//! country's choice: one decision or two, an authority or a multi-sector commission, a standard of
//! proof, deadlines, reconsideration and appeal. A [`Procedure`] holds those choices; profiles
//! (`crates/domain/profiles/*.toml`) declare theirs with sources, and the status engine
//! ([`crate::ident::status`]) runs any of them.
//!
//! The floors the law does set are checked when a procedure loads ([`Procedure::check_floors`]):
//! what a presumed victim is entitled to cannot be configured away.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Coded, ParseError, Role, coded_enum, org::OrganisationKind, user::Language};

coded_enum! {
    /// How the days of a deadline are counted.
    pub enum DayCount {
        /// Days other than Saturdays, Sundays and the profile's public holidays.
        Working => "working",
        Calendar => "calendar",
    }
}

coded_enum! {
    /// The event a stage's deadline runs from.
    pub enum DeadlineFrom {
        /// The referral (notification) to the national referral mechanism.
        Referral => "referral",
        /// The first-stage decision (two-stage procedures only).
        FirstDecision => "first_decision",
        /// The last day of the recovery and reflection period.
        ReflectionEnd => "reflection_end",
    }
}

coded_enum! {
    /// From when a referred person is a presumed victim (the reasonable-grounds indication of
    /// Dir 2011/36 Art 11(2) and CETS 197 Art 10(2)).
    pub enum PresumedFrom {
        /// The registration referred to the mechanism is itself the indication.
        Referral => "referral",
        /// A positive first-stage decision (two-stage procedures).
        FirstDecision => "first_decision",
    }
}

coded_enum! {
    /// What a status entitles a person to.
    pub enum Entitlement {
        /// Assistance and support (Dir 2011/36 Art 11(2)-(3); CETS 197 Art 12).
        Assistance => "assistance",
        /// The recovery and reflection period (CETS 197 Art 13(1); Dir 2004/81 Art 6).
        ReflectionPeriod => "reflection_period",
        /// No removal while identification runs (CETS 197 Art 10(2)).
        ProtectionFromRemoval => "protection_from_removal",
        /// The route to a residence permit (CETS 197 Art 14; Dir 2004/81 Art 8).
        ResidencePermitRoute => "residence_permit_route",
    }
}

coded_enum! {
    /// A commission member's vote.
    pub enum Vote {
        For => "for",
        Against => "against",
        Abstain => "abstain",
    }
}

/// Which of a procedure's decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StagePlace {
    /// The first of two decisions (for example the United Kingdom's reasonable grounds).
    First,
    /// The decision that identifies the person (the only one in a one-decision procedure).
    Final,
}

/// Names and texts in several languages; English is always there.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Texts(BTreeMap<String, String>);

impl Texts {
    fn parse(field: &str, raw: BTreeMap<String, String>) -> Result<Self, ParseError> {
        let mut out = BTreeMap::new();
        for (lang, text) in raw {
            if Language::parse_code(&format!("{field}.{lang}"), &lang).is_err() {
                let known: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
                return Err(ParseError::new(
                    format!("{field}.{lang}"),
                    format!("not a language of the interface; expected one of {}", known.join(", ")),
                ));
            }
            let text = text.trim().to_owned();
            if text.is_empty() {
                return Err(ParseError::new(format!("{field}.{lang}"), "is empty"));
            }
            out.insert(lang, text);
        }
        if !out.contains_key("en") {
            return Err(ParseError::new(format!("{field}.en"), "the English text is required"));
        }
        Ok(Self(out))
    }

    /// The text in `language`, or the English one when the profile has none in it.
    pub fn get(&self, language: Language) -> &str {
        self.0.get(language.code()).or_else(|| self.0.get("en")).map_or("", String::as_str)
    }
}

/// A deadline of a stage: `days` working or calendar days after `from`, counted from the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StageDeadline {
    pub days: u16,
    pub count: DayCount,
    pub from: DeadlineFrom,
}

/// A multi-sector commission: its seats (professions), how many must vote for a decision, and
/// the kinds of deciding organisation that decide through it (all of the stage's, when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commission {
    /// The seats, as votes name them.
    pub seats: Vec<String>,
    pub quorum: u16,
    pub organisation_kinds: Vec<OrganisationKind>,
    /// A seat's name in an interface language other than the one it is written in:
    /// seat → language code → name.
    pub seat_names: BTreeMap<String, BTreeMap<String, String>>,
}

impl Commission {
    /// A seat's name in `language`, or the seat as written.
    pub fn seat_name<'a>(&'a self, seat: &'a str, language: Language) -> &'a str {
        self.seat_names.get(seat).and_then(|names| names.get(language.code())).map_or(seat, String::as_str)
    }

    /// Whether an organisation of `kind` decides through the commission.
    pub fn applies_to(&self, kind: OrganisationKind) -> bool {
        self.organisation_kinds.is_empty() || self.organisation_kinds.contains(&kind)
    }
}

/// One member's recorded vote in a commission decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberVote {
    /// The seat the member holds (one of the commission's seats).
    pub seat: String,
    /// The member's name as minuted (a professional, not the victim).
    pub member: String,
    pub vote: Vote,
}

/// One decision of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub place: StagePlace,
    pub name: Texts,
    /// Kinds of organisation whose decision makers may record this decision.
    pub organisation_kinds: Vec<OrganisationKind>,
    /// Roles that may record it (at least one of them).
    pub roles: Vec<Role>,
    pub commission: Option<Commission>,
    /// The standard of proof, in the words of national law.
    pub standard_of_proof: Option<Texts>,
    pub deadline: Option<StageDeadline>,
    /// A negative decision can be reconsidered on request.
    pub reconsideration: bool,
    /// The route of appeal against a negative decision, in words (courts are outside Haven).
    pub appeal: Option<Texts>,
    pub source: String,
}

impl Stage {
    /// Whether an organisation of `kind` with these roles may record this decision.
    pub fn may_decide(&self, kind: OrganisationKind, roles: &[Role]) -> bool {
        self.organisation_kinds.contains(&kind) && roles.iter().any(|r| self.roles.contains(r))
    }

    /// The commission through which an organisation of `kind` takes this decision, if any.
    pub fn commission_for(&self, kind: OrganisationKind) -> Option<&Commission> {
        self.commission.as_ref().filter(|c| c.applies_to(kind))
    }

    /// Checks a decision's votes against the commission that takes it for an organisation of
    /// `kind`: at least the quorum of seats voted, each seat at most once, a named member each,
    /// and the outcome is the majority of the votes cast; without a commission, no votes.
    /// `positive` is the outcome the decision records.
    pub fn check_votes(&self, kind: OrganisationKind, positive: bool, votes: &[MemberVote]) -> Result<(), ParseError> {
        let Some(commission) = self.commission_for(kind) else {
            if votes.is_empty() {
                return Ok(());
            }
            return Err(ParseError::new("votes", "this decision is not taken by a commission; record no votes"));
        };
        let mut seen: Vec<&str> = Vec::new();
        for (i, v) in votes.iter().enumerate() {
            if !commission.seats.iter().any(|s| s == &v.seat) {
                return Err(ParseError::new(
                    format!("votes[{i}].seat"),
                    format!("{:?} is not a seat of the commission ({})", v.seat, commission.seats.join(", ")),
                ));
            }
            if seen.contains(&v.seat.as_str()) {
                return Err(ParseError::new(format!("votes[{i}].seat"), format!("{:?} has already voted", v.seat)));
            }
            if v.member.trim().is_empty() {
                return Err(ParseError::new(format!("votes[{i}].member"), "name the member who voted"));
            }
            seen.push(&v.seat);
        }
        if seen.len() < usize::from(commission.quorum) {
            return Err(ParseError::new(
                "votes",
                format!(
                    "{} of the commission's seats voted; the quorum is {} of {}",
                    seen.len(),
                    commission.quorum,
                    commission.seats.len()
                ),
            ));
        }
        let count = |vote: Vote| votes.iter().filter(|v| v.vote == vote).count();
        let (for_, against) = (count(Vote::For), count(Vote::Against));
        let majority_positive = for_ > against;
        if for_ == against {
            return Err(ParseError::new(
                "votes",
                format!("{for_} for and {against} against: the commission has not decided either way"),
            ));
        }
        if majority_positive != positive {
            return Err(ParseError::new(
                "votes",
                format!(
                    "{for_} for and {against} against: the outcome is {}, not the one recorded",
                    if majority_positive { "positive" } else { "negative" }
                ),
            ));
        }
        Ok(())
    }
}

/// The national notification step: who receives referrals and who must make them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// The national point that receives notifications, in words.
    pub receiver: Texts,
    /// Kinds of organisation that must notify a presumed victim they meet; others may.
    pub must_notify: Vec<OrganisationKind>,
    pub source: String,
}

/// A country's identification procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Procedure {
    pub id: String,
    pub name: Texts,
    pub notification: Option<Notification>,
    /// The first of two decisions, when the procedure has two.
    pub first: Option<Stage>,
    /// The decision that identifies the person.
    pub final_stage: Stage,
    pub presumed_from: PresumedFrom,
    /// What a presumed victim is entitled to.
    pub presumed: Vec<Entitlement>,
    /// What an identified victim is entitled to.
    pub identified: Vec<Entitlement>,
    /// What national law adds, in words (for example a length of state-funded support).
    pub entitlements_note: Option<Texts>,
    pub sources: Vec<String>,
}

/// The shape the status engine needs from a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub two_stage: bool,
    pub first_reconsideration: bool,
    pub final_reconsideration: bool,
    pub presumed_from: PresumedFrom,
}

impl Shape {
    /// Two decisions, each reconsiderable, presumed from the first: the shape of cases recorded
    /// before procedures were data.
    pub const LEGACY_TWO_STAGE: Shape = Shape {
        two_stage: true,
        first_reconsideration: true,
        final_reconsideration: true,
        presumed_from: PresumedFrom::FirstDecision,
    };
}

/// Dir 2011/36 Art 11(2) and CETS 197 Arts 10(2), 12 and 13(1): what a presumed victim is always
/// entitled to, whatever the procedure. Checked on every procedure when it loads.
pub const PRESUMED_VICTIM_FLOOR: &[(Entitlement, &str)] = &[
    (Entitlement::Assistance, "Dir 2011/36 Art 11(2); CETS 197 Art 12(1)"),
    (Entitlement::ProtectionFromRemoval, "CETS 197 Art 10(2)"),
    (Entitlement::ReflectionPeriod, "CETS 197 Art 13(1)"),
];

impl Procedure {
    /// The stage at `place`, if the procedure has it.
    pub fn stage(&self, place: StagePlace) -> Option<&Stage> {
        match place {
            StagePlace::First => self.first.as_ref(),
            StagePlace::Final => Some(&self.final_stage),
        }
    }

    /// The stages in order.
    pub fn stages(&self) -> impl Iterator<Item = &Stage> {
        self.first.iter().chain(std::iter::once(&self.final_stage))
    }

    pub fn shape(&self) -> Shape {
        Shape {
            two_stage: self.first.is_some(),
            first_reconsideration: self.first.as_ref().is_some_and(|s| s.reconsideration),
            final_reconsideration: self.final_stage.reconsideration,
            presumed_from: self.presumed_from,
        }
    }

    /// Whether a presumed victim (`identified` false) or an identified one is entitled to `what`.
    pub fn entitles(&self, identified: bool, what: Entitlement) -> bool {
        if identified { self.identified.contains(&what) } else { self.presumed.contains(&what) }
    }

    /// The legal floors: a presumed victim keeps assistance, protection from removal and (for a
    /// Party to the Convention) the reflection period; so does an identified victim.
    pub fn check_floors(&self, field: &str, coe_party: bool) -> Result<(), ParseError> {
        for (list, name) in [(&self.presumed, "presumed"), (&self.identified, "identified")] {
            for (entitlement, article) in PRESUMED_VICTIM_FLOOR {
                if *entitlement == Entitlement::ReflectionPeriod && !coe_party {
                    continue;
                }
                if !list.contains(entitlement) {
                    return Err(ParseError::new(
                        format!("{field}.entitlements.{name}"),
                        format!("must include {} ({article})", entitlement.code()),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Parses one `[procedures.ID]` table of a profile. Errors name `field.…`.
    fn from_raw(field: &str, id: &str, raw: ProcedureToml) -> Result<Self, ParseError> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return Err(ParseError::new(field, "a procedure id is lower-case letters, digits and '_'"));
        }
        let name = Texts::parse(&format!("{field}.name"), raw.name)?;
        let notification = raw
            .notification
            .map(|n| -> Result<Notification, ParseError> {
                let f = format!("{field}.notification");
                Ok(Notification {
                    receiver: Texts::parse(&format!("{f}.receiver"), n.receiver)?,
                    must_notify: kinds(&format!("{f}.must_notify"), &n.must_notify)?,
                    source: source(&format!("{f}.source"), &n.source)?,
                })
            })
            .transpose()?;
        let mut stages = raw.stages.into_iter();
        let (first_raw, final_raw) = match (stages.next(), stages.next(), stages.next()) {
            (Some(only), None, None) => (None, only),
            (Some(first), Some(last), None) => (Some(first), last),
            (None, _, _) => return Err(ParseError::new(format!("{field}.stages"), "a procedure needs a decision")),
            _ => {
                return Err(ParseError::new(
                    format!("{field}.stages"),
                    "a procedure has one decision or two (a first and a final one)",
                ));
            }
        };
        let two_stage = first_raw.is_some();
        let first = first_raw
            .map(|s| Stage::from_raw(&format!("{field}.stages[0]"), StagePlace::First, false, s))
            .transpose()?;
        let final_field = format!("{field}.stages[{}]", usize::from(two_stage));
        let final_stage = Stage::from_raw(&final_field, StagePlace::Final, two_stage, final_raw)?;
        let presumed_from = PresumedFrom::parse_code(&format!("{field}.presumed_from"), &raw.presumed_from)?;
        if presumed_from == PresumedFrom::FirstDecision && !two_stage {
            return Err(ParseError::new(
                format!("{field}.presumed_from"),
                "a one-decision procedure has no first decision: a referred person is presumed from the referral",
            ));
        }
        let entitlements = |name: &str, codes: &[String]| -> Result<Vec<Entitlement>, ParseError> {
            codes
                .iter()
                .enumerate()
                .map(|(i, c)| Entitlement::parse_code(&format!("{field}.entitlements.{name}[{i}]"), c))
                .collect()
        };
        let sources: Vec<String> = raw.sources.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
        if sources.is_empty() {
            return Err(ParseError::new(format!("{field}.sources"), "name at least one source for the procedure"));
        }
        Ok(Self {
            id: id.to_owned(),
            name,
            notification,
            first,
            final_stage,
            presumed_from,
            presumed: entitlements("presumed", &raw.entitlements.presumed)?,
            identified: entitlements("identified", &raw.entitlements.identified)?,
            entitlements_note: raw
                .entitlements
                .note
                .map(|t| Texts::parse(&format!("{field}.entitlements.note"), t))
                .transpose()?,
            sources,
        })
    }

    /// Parses the procedures of a profile (`[procedures.ID]` tables).
    pub(crate) fn parse_all(
        field: &str,
        raw: BTreeMap<String, ProcedureToml>,
    ) -> Result<BTreeMap<String, Procedure>, ParseError> {
        raw.into_iter().map(|(id, p)| Procedure::from_raw(&format!("{field}.{id}"), &id, p).map(|p| (id, p))).collect()
    }

    /// The procedure of cases recorded before procedures were data: two decisions, each
    /// reconsiderable, by a decision maker of the competent authority, no deadlines. Cases
    /// migrated from earlier releases keep it, so that their history keeps its meaning.
    pub fn legacy_two_stage() -> Result<Self, ParseError> {
        let raw: ProcedureToml = toml::from_str(LEGACY_TWO_STAGE)
            .map_err(|e| ParseError::new("legacy_two_stage", e.message().to_owned()))?;
        Self::from_raw("legacy_two_stage", LEGACY_ID, raw)
    }
}

/// The id under which cases recorded before procedures were data keep their procedure.
pub const LEGACY_ID: &str = "legacy_two_stage";

const LEGACY_TWO_STAGE: &str = include_str!("../../profiles/legacy_two_stage.toml");

fn kinds(field: &str, codes: &[String]) -> Result<Vec<OrganisationKind>, ParseError> {
    codes.iter().enumerate().map(|(i, c)| OrganisationKind::parse_code(&format!("{field}[{i}]"), c)).collect()
}

fn source(field: &str, text: &str) -> Result<String, ParseError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ParseError::new(field, "name the source, or say \"to check against national law\""));
    }
    Ok(text.to_owned())
}

impl Stage {
    fn from_raw(field: &str, place: StagePlace, after_first: bool, raw: StageToml) -> Result<Self, ParseError> {
        let name = Texts::parse(&format!("{field}.name"), raw.name)?;
        let organisation_kinds = kinds(&format!("{field}.organisation_kinds"), &raw.organisation_kinds)?;
        if organisation_kinds.is_empty() {
            return Err(ParseError::new(
                format!("{field}.organisation_kinds"),
                "name the kinds of organisation that take this decision",
            ));
        }
        let roles: Vec<Role> = raw
            .roles
            .iter()
            .enumerate()
            .map(|(i, c)| Role::parse_code(&format!("{field}.roles[{i}]"), c))
            .collect::<Result<_, _>>()?;
        if roles.is_empty() {
            return Err(ParseError::new(format!("{field}.roles"), "name the roles that record this decision"));
        }
        let commission = match raw.commission {
            None => None,
            Some(c) => {
                let seats: Vec<String> = c.seats.iter().map(|s| s.trim().to_owned()).collect();
                if seats.is_empty() || seats.iter().any(String::is_empty) {
                    return Err(ParseError::new(format!("{field}.commission.seats"), "name every seat"));
                }
                let mut sorted = seats.clone();
                sorted.sort();
                sorted.dedup();
                if sorted.len() != seats.len() {
                    return Err(ParseError::new(format!("{field}.commission.seats"), "a seat is named twice"));
                }
                if c.quorum == 0 || usize::from(c.quorum) > seats.len() {
                    return Err(ParseError::new(
                        format!("{field}.commission.quorum"),
                        format!("must be between 1 and the {} seats", seats.len()),
                    ));
                }
                let commission_kinds = kinds(&format!("{field}.commission.organisation_kinds"), &c.organisation_kinds)?;
                if let Some(k) = commission_kinds.iter().find(|k| !organisation_kinds.contains(k)) {
                    return Err(ParseError::new(
                        format!("{field}.commission.organisation_kinds"),
                        format!("{k} does not take this decision (not in organisation_kinds)"),
                    ));
                }
                let mut seat_names = BTreeMap::new();
                for (seat, names) in c.seat_names {
                    let f = format!("{field}.commission.seat_names");
                    if !seats.contains(&seat) {
                        return Err(ParseError::new(format!("{f}.{seat}"), "not a seat of the commission"));
                    }
                    for (lang, name) in &names {
                        Language::parse_code(&format!("{f}.{seat}.{lang}"), lang)?;
                        if name.trim().is_empty() {
                            return Err(ParseError::new(format!("{f}.{seat}.{lang}"), "is empty"));
                        }
                    }
                    seat_names.insert(seat, names);
                }
                Some(Commission { seats, quorum: c.quorum, organisation_kinds: commission_kinds, seat_names })
            }
        };
        let deadline = match raw.deadline {
            None => None,
            Some(d) => {
                let f = format!("{field}.deadline");
                if d.days == 0 {
                    return Err(ParseError::new(format!("{f}.days"), "a deadline is at least 1 day"));
                }
                let from = DeadlineFrom::parse_code(&format!("{f}.from"), &d.from)?;
                if from == DeadlineFrom::FirstDecision && !after_first {
                    return Err(ParseError::new(
                        format!("{f}.from"),
                        "only the final decision of a two-decision procedure can run from the first decision",
                    ));
                }
                Some(StageDeadline {
                    days: d.days,
                    count: DayCount::parse_code(&format!("{f}.count"), &d.count)?,
                    from,
                })
            }
        };
        Ok(Self {
            place,
            name,
            organisation_kinds,
            roles,
            commission,
            standard_of_proof: raw
                .standard_of_proof
                .map(|t| Texts::parse(&format!("{field}.standard_of_proof"), t))
                .transpose()?,
            deadline,
            reconsideration: raw.reconsideration,
            appeal: raw.appeal.map(|t| Texts::parse(&format!("{field}.appeal"), t)).transpose()?,
            source: source(&format!("{field}.source"), &raw.source)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProcedureToml {
    name: BTreeMap<String, String>,
    #[serde(default)]
    notification: Option<NotificationToml>,
    stages: Vec<StageToml>,
    presumed_from: String,
    entitlements: EntitlementsToml,
    sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotificationToml {
    receiver: BTreeMap<String, String>,
    #[serde(default)]
    must_notify: Vec<String>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntitlementsToml {
    presumed: Vec<String>,
    identified: Vec<String>,
    #[serde(default)]
    note: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageToml {
    name: BTreeMap<String, String>,
    organisation_kinds: Vec<String>,
    roles: Vec<String>,
    #[serde(default)]
    commission: Option<CommissionToml>,
    #[serde(default)]
    standard_of_proof: Option<BTreeMap<String, String>>,
    #[serde(default)]
    deadline: Option<DeadlineToml>,
    #[serde(default)]
    reconsideration: bool,
    #[serde(default)]
    appeal: Option<BTreeMap<String, String>>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommissionToml {
    seats: Vec<String>,
    quorum: u16,
    #[serde(default)]
    organisation_kinds: Vec<String>,
    #[serde(default)]
    seat_names: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineToml {
    days: u16,
    count: String,
    from: String,
}
